import { HttpStatus } from '@nestjs/common';
import en from '#src/social/i18n/en.js';
import zhCN from '#src/social/i18n/zh-CN.js';
import {
  defineAuditEventTypes,
  defineErrorCodes,
  defineTranslations,
  defineValidationRules,
} from '#src/platform/index.js';

/** SPEC §15 error codes, registered by the module that throws them. */
export const SocialErrors = defineErrorCodes({
  // One answer for a bad, used or expired code, state or link_token and any provider failure: the provider's own
  // detail (WeChat errcode) goes to the log only (OWASP ASVS 5.0 V16.5.1: no internals in error answers).
  SOCIAL_LOGIN_FAILED: {
    status: HttpStatus.BAD_REQUEST,
    message: 'Sign-in with the provider failed; please start again',
  },
  IDENTITY_TAKEN: { status: HttpStatus.CONFLICT, message: 'This identity is already linked to another account' },
  LAST_SIGN_IN_METHOD: {
    status: HttpStatus.CONFLICT,
    message: 'This is the last way to sign in to the account; add another before removing it',
  },
});

/** SPEC §8: what the trail records for social sign-in; never a provider token, code or state. */
export const SocialAudit = defineAuditEventTypes(['social_login', 'identity_linked', 'identity_unlinked']);

/** A redirect_uri not in SOCIAL_REDIRECT_URIS (exact match, RFC 9700 §4.1.3). */
defineValidationRules({ redirect_uri_not_allowed: { params: [] } });

// The codes' messages in every language (SPEC §14).
defineTranslations('social', { en, 'zh-CN': zhCN });
