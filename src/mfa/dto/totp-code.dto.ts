import { Matches } from 'class-validator';
import { Trim } from '#src/common/validation/decorators.js';

export const TOTP_CODE = /^\d{6}$/;

/** `{code}` for `/auth/mfa/totp/enable`. */
export class TotpCodeDto {
  /** The 6-digit code the authenticator app shows now. */
  @Trim()
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code: string;
}
