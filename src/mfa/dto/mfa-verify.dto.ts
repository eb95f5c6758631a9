import { IsNotEmpty, IsString, Matches, MaxLength, registerDecorator, ValidateIf } from 'class-validator';
import { OptionalField, Trim } from '#src/platform/index.js';
import { TOTP_CODE } from '#src/mfa/dto/totp-code.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Refuses the field when `other` is sent as well. */
function NotWith(other: string) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'notWith',
      target: object.constructor,
      propertyName,
      options: { message: `send ${other} or ${propertyName}, not both` },
      validator: {
        validate: (_value: unknown, args) => (args?.object as Record<string, unknown>)[other] === undefined,
      },
    });
}

/** `{mfa_token, code}` or `{mfa_token, recovery_code}`: exactly one of the two codes. */
export class MfaVerifyDto {
  /** The `mfa_token` from the login answer. */
  @ApiProperty({ example: '<the mfa_token from login>' })
  @IsString()
  @MaxLength(2048)
  @IsNotEmpty()
  mfa_token: string;

  /** The 6-digit code from the authenticator app. Required unless `recovery_code` is sent. */
  @ValidateIf((dto: MfaVerifyDto) => dto.recovery_code === undefined || dto.code !== undefined)
  @ApiPropertyOptional({ pattern: TOTP_CODE.source, example: '123456' })
  @Trim()
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code?: string;

  /** One of the recovery codes shown when TOTP was enabled; each works once. Not together with `code`. */
  @ApiPropertyOptional({ example: 'ABCD-EFGH-IJKL-MNOP' })
  @OptionalField()
  @Trim()
  @IsString()
  @MaxLength(32)
  @Matches(/^[A-Za-z2-7 -]{16,31}$/, { message: 'recovery_code is not a recovery code' })
  @NotWith('code')
  recovery_code?: string;
}
