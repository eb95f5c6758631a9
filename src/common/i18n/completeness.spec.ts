// Loading the app's module graph registers every module's error codes, rules, templates and catalogs,
// the same way a start does: no list of modules to keep up to date here.
import '#src/app.module.js';
import { catalogDifferences, missingTranslations, placeholdersOf } from '#src/common/i18n/completeness.js';
import { registeredRules } from '#src/common/i18n/registry.js';
import webEn from '../../../web/src/i18n/en.js';
import webZhCN from '../../../web/src/i18n/zh-CN.js';

/** SPEC §14: every error msg, field message, SMS / email text and demo-page string exists in zh-CN and en. */
describe('translation completeness', () => {
  it('has every registered error code, validation rule and message template in every locale', () => {
    expect(missingTranslations()).toEqual([]);
  });

  it('checks the rules SPEC §14 names', () => {
    const spec = ['required', 'type', 'min_length', 'max_length', 'pattern', 'common_password', 'same_as_username'];
    expect([...registeredRules().keys()]).toEqual(
      expect.arrayContaining([...spec, 'phone', 'email', 'region_not_allowed', 'unknown_field']),
    );
  });

  it('has every demo-page string in every locale, quoting the same params', () => {
    expect(catalogDifferences({ en: webEn, 'zh-CN': webZhCN })).toEqual([]);
    for (const [key, text] of Object.entries(webEn)) {
      expect(placeholdersOf(webZhCN[key as keyof typeof webEn]).sort(), key).toEqual(placeholdersOf(text).sort());
    }
  });

  it('reports what a locale lacks: an error code, a rule, a template, or a param nobody declared', () => {
    const messages = new Map([
      ['en', new Map([['rules.otp_format', '{{field}} must be {{length}} digits']])],
      ['zh-CN', new Map([['rules.otp_format', '{{field}}必须是 {{digits}} 位数字']])],
    ]);
    const problems = missingTranslations({
      errorCodes: [{ code: 'CODE_INVALID', message: 'The code is not valid' }],
      rules: new Map([['otp_format', { params: ['length'] }]]),
      templates: new Map([['sms.login_code', { params: ['code'] }]]),
      messages: (locale) => messages.get(locale) ?? new Map(),
    });
    expect(problems.sort()).toEqual(
      [
        'en: templates.sms.login_code is missing',
        'zh-CN: errors.CODE_INVALID is missing',
        'zh-CN: rules.otp_format quotes {{digits}}, which it does not declare',
        'zh-CN: templates.sms.login_code is missing',
      ].sort(),
    );
    expect(catalogDifferences({ en: { a: 'A', b: 'B' }, 'zh-CN': { a: '甲', b: ' ' } })).toEqual([
      'zh-CN: b is missing',
    ]);
  });
});
