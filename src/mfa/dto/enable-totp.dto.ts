import { Matches } from 'class-validator';
import { IsPassword, Trim } from '#src/common/validation/decorators.js';
import { TOTP_CODE } from '#src/mfa/dto/totp-code.dto.js';

/** `{password, code}` for `/auth/mfa/totp/enable`. */
export class EnableTotpDto {
  /** The account's current password, asked again before a second factor is enrolled (OWASP ASVS 5.0 V7.5.1). */
  @IsPassword()
  password: string;

  /** The 6-digit code the authenticator app shows now. */
  @Trim()
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code: string;
}
