import { HttpStatus } from '@nestjs/common';
import en from '#src/auth/i18n/en.js';
import zhCN from '#src/auth/i18n/zh-CN.js';
import { defineErrorCodes } from '#src/common/error-registry.js';
import { defineTranslations } from '#src/common/i18n/registry.js';

/**
 * The login module's own codes (SPEC §3). auth/ is re-exported by the platform barrel, so it registers them
 * through the core files directly, never through the barrel.
 */
export const AuthErrors = defineErrorCodes({
  // OWASP ASVS 5.0 V7.5.1: a sensitive change asks for the password again, or a session opened moments ago.
  REAUTH_REQUIRED: {
    status: HttpStatus.UNAUTHORIZED,
    message: 'Log in again to make this change: your session was opened too long ago',
  },
});

// The codes' messages in every language, found with the codes (SPEC §14).
defineTranslations('auth', { en, 'zh-CN': zhCN });
