import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from '#src/platform/index.js';

/** The verification codes' own errors (SPEC §3, §12), registered by the module that throws them. */
export const VerificationErrors = defineErrorCodes({
  // One answer for a wrong, spent, expired or misdirected code, so a guesser learns nothing (OWASP ASVS 5.0 V6.6).
  CODE_INVALID: { status: HttpStatus.BAD_REQUEST, message: 'The code is wrong or no longer valid; request a new one' },
  CHANNEL_DISABLED: { status: HttpStatus.FORBIDDEN, message: 'Codes by this channel are not available' },
});
