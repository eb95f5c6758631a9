import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from '#src/platform/index.js';

/** The second factor's own codes (SPEC §3), registered by the module that throws them. */
export const MfaErrors = defineErrorCodes({
  // One answer for a wrong, replayed or unknown code, so a guesser learns nothing (OWASP ASVS 5.0 V6.5).
  MFA_INVALID: { status: HttpStatus.UNAUTHORIZED, message: 'The code is wrong or was already used' },
  MFA_ALREADY_ENABLED: { status: HttpStatus.CONFLICT, message: 'TOTP is already enabled' },
});
