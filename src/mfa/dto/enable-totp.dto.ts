import { Matches } from 'class-validator';
import { IsPassword, Trim, ApiPasswordField } from '#src/platform/index.js';
import { TOTP_CODE } from '#src/mfa/dto/totp-code.dto.js';
import { ApiProperty } from '@nestjs/swagger';

/** `{password, code}` for `/auth/mfa/totp/enable`. */
export class EnableTotpDto {
  /** The account's current password, asked again before a second factor is enrolled (OWASP ASVS 5.0 V7.5.1). */
  @ApiPasswordField()
  @IsPassword()
  password: string;

  /** The 6-digit code the authenticator app shows now. */
  @ApiProperty({ pattern: TOTP_CODE.source, example: '123456' })
  @Trim()
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code: string;
}
