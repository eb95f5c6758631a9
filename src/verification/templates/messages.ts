import { PURPOSES } from '#src/verification/verification.config.js';
import { type CodeMessage, NOTICES } from '#src/verification/code-message.js';
import { defineMessageTemplates, type I18nService } from '#src/platform/index.js';

const PARAMS = { params: ['code', 'minutes'] } as const;

/**
 * SPEC §14: every code message exists in each locale. One SMS text and an email subject, text and HTML per
 * purpose, so a translation can word each purpose naturally; the texts live in `../i18n/{en,zh-CN}.ts` and the
 * completeness spec fails when a locale lacks one.
 */
defineMessageTemplates(
  Object.fromEntries(
    PURPOSES.flatMap((p) =>
      [`sms.${p}`, `email.${p}.subject`, `email.${p}.text`, `email.${p}.html`].map((name) => [name, PARAMS]),
    ),
  ),
);
// A notice tells the owner of a contact what happened to the account; it carries no code.
defineMessageTemplates(
  Object.fromEntries(
    NOTICES.flatMap((n) =>
      [`sms.${n}`, `email.${n}.subject`, `email.${n}.text`, `email.${n}.html`].map((name) => [name, { params: [] }]),
    ),
  ),
);

export interface RenderedCodeMessage {
  sms: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The SMS text and the email subject, text and HTML of a code message, in the message's locale. */
export function renderCodeMessage(i18n: Pick<I18nService, 'template'>, m: CodeMessage): RenderedCodeMessage {
  const params = { code: m.code, minutes: Math.max(1, Math.round(m.expires_in / 60)) };
  const render = (name: string) => i18n.template(m.locale, name, params);
  return {
    sms: render(`sms.${m.purpose}`),
    subject: render(`email.${m.purpose}.subject`),
    text: render(`email.${m.purpose}.text`),
    // The translator does not escape (its output goes into JSON); HTML gets escaped params.
    html: i18n.template(m.locale, `email.${m.purpose}.html`, { ...params, code: escapeHtml(m.code) }),
  };
}
