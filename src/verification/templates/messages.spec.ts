// The verification module registers its catalogs with its error codes, as a start does.
import '#src/verification/verification.errors.js';
import { templateMessage } from '#src/common/i18n/translator.js';
import { registeredMessages, registeredTemplates } from '#src/common/i18n/registry.js';
import { PURPOSES } from '#src/verification/verification.config.js';
import { renderCodeMessage } from '#src/verification/templates/messages.js';

const i18n = { template: templateMessage };

describe('code messages', () => {
  it('declares an SMS text and an email subject, text and HTML per purpose, each in every locale', () => {
    for (const purpose of PURPOSES) {
      for (const name of [`sms.${purpose}`, `email.${purpose}.subject`, `email.${purpose}.text`]) {
        expect(registeredTemplates().get(name), name).toEqual({ params: ['code', 'minutes'] });
      }
      for (const locale of ['en', 'zh-CN'] as const) {
        expect(registeredMessages(locale).get(`templates.email.${purpose}.html`), locale).toContain('{{code}}');
      }
    }
  });

  it('renders every purpose from the catalogs of its locale, the code in the SMS, subject, text and HTML', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const purpose of PURPOSES) {
        const m = renderCodeMessage(i18n, {
          channel: 'email',
          to: 'a@b.io',
          purpose,
          code: '042917',
          locale,
          expires_in: 300,
        });
        expect(m.sms).toContain('042917');
        expect(m.subject).toContain('042917');
        expect(m.text).toContain('042917');
        expect(m.html).toContain('<strong>042917</strong>');
        expect(m.text).toContain(locale === 'en' ? '5 minutes' : '5 分钟');
        expect(m.sms).not.toContain('{{');
      }
    }
    const zh = renderCodeMessage(i18n, {
      channel: 'sms',
      to: '+8613500000000',
      purpose: 'reset_password',
      code: '123456',
      locale: 'zh-CN',
      expires_in: 600,
    });
    expect(zh.sms).toBe('您的验证码是 123456，用于重置密码，10 分钟内有效。如非本人操作，请忽略本消息。');
  });

  it('renders the contact-change notice, which carries no code, in every locale', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const m = renderCodeMessage(i18n, {
        channel: 'email',
        to: 'a@b.io',
        purpose: 'contact_changed',
        code: '',
        locale,
        expires_in: 300,
      });
      for (const part of [m.sms, m.subject, m.text, m.html]) {
        expect(part.length).toBeGreaterThan(10);
        expect(part).not.toContain('{{');
      }
      expect(m.text).toContain(locale === 'en' ? 'reset your password' : '重置密码');
    }
  });

  it('escapes what goes into the HTML part', () => {
    const m = renderCodeMessage(i18n, {
      channel: 'email',
      to: 'a@b.io',
      purpose: 'login',
      code: '<b>',
      locale: 'en',
      expires_in: 60,
    });
    expect(m.html).toContain('<strong>&lt;b&gt;</strong>');
    expect(m.text).toContain('<b>');
  });
});
