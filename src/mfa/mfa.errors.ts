import { HttpStatus } from '@nestjs/common';
import en from '#src/mfa/i18n/en.js';
import zhCN from '#src/mfa/i18n/zh-CN.js';
import { defineErrorCodes, defineTranslations } from '#src/platform/index.js';

/** The second factor's own codes (SPEC §3), registered by the module that throws them. */
export const MfaErrors = defineErrorCodes({
  // One answer for a wrong, replayed or unknown code, so a guesser learns nothing (OWASP ASVS 5.0 V6.5).
  MFA_INVALID: { status: HttpStatus.UNAUTHORIZED, message: 'The code is wrong or was already used' },
  MFA_ALREADY_ENABLED: { status: HttpStatus.CONFLICT, message: 'TOTP is already enabled' },
});

// The codes' messages in every language, found with the codes (SPEC §14).
defineTranslations('mfa', { en, 'zh-CN': zhCN });
