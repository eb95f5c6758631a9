import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes, defineTranslations } from '#src/platform/index.js';
import en from '#src/verification/i18n/en.js';
import zhCN from '#src/verification/i18n/zh-CN.js';

/** The verification codes' own errors (SPEC §3, §12), registered by the module that throws them. */
export const VerificationErrors = defineErrorCodes({
  // One answer for a wrong, spent, expired or misdirected code, so a guesser learns nothing (OWASP ASVS 5.0 V6.6).
  CODE_INVALID: { status: HttpStatus.BAD_REQUEST, message: 'The code is wrong or no longer valid; request a new one' },
  CHANNEL_DISABLED: { status: HttpStatus.FORBIDDEN, message: 'Codes by this channel are not available' },
});

// The codes' messages in every language, found with the codes (SPEC §14).
defineTranslations('verification', { en, 'zh-CN': zhCN });
