import { PURPOSES } from '#src/verification/verification.config.js';
import { localeOf, renderCodeMessage } from '#src/verification/templates/messages.js';

describe('code messages', () => {
  it('renders every purpose in both locales with the code in the subject, text and HTML', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const purpose of PURPOSES) {
        const m = renderCodeMessage({
          channel: 'email',
          to: 'a@b.io',
          purpose,
          code: '042917',
          locale,
          expires_in: 300,
        });
        expect(m.subject).toContain('042917');
        expect(m.text).toContain('042917');
        expect(m.html).toContain('<strong>042917</strong>');
        expect(m.text).toContain(locale === 'en' ? '5 minutes' : '5 分钟');
      }
    }
  });

  it('picks the best language on offer by q-value (SPEC §14)', () => {
    expect(localeOf(undefined)).toBe('en');
    expect(localeOf('zh-Hans')).toBe('zh-CN');
    expect(localeOf('fr;q=0.9,zh;q=0.5')).toBe('zh-CN');
    expect(localeOf('zh;q=0.4, en-GB;q=0.8')).toBe('en');
    expect(localeOf('de')).toBe('en');
  });
});
