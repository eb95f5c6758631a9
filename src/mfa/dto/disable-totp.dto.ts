import { IsString, Matches, MaxLength } from 'class-validator';
import { IsPassword, Trim, ApiPasswordField } from '#src/platform/index.js';
import { ApiProperty } from '@nestjs/swagger';

/** `{password, code}` for `/auth/mfa/totp/disable`. */
export class DisableTotpDto {
  /** The account's current password. */
  @ApiPasswordField()
  @IsPassword()
  password: string;

  /** A current 6-digit TOTP code, or one unused recovery code (for a lost authenticator). */
  @ApiProperty({ example: '123456' })
  @Trim()
  @IsString()
  @MaxLength(32)
  @Matches(/^(\d{6}|[A-Za-z2-7 -]{16,31})$/, { message: 'code must be a 6-digit code or a recovery code' })
  code: string;
}
