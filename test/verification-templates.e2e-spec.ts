import { simpleParser } from 'mailparser';
import { API, register, uniqueName } from './helpers/auth-client.js';
import { startSmtpSink } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** SPEC §12, §14: the mail a code goes out in speaks the language of the request that asked for it. */
describe('code mails in the request language, from the i18n catalogs', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
      // A Chinese-speaking deployment: a request that names no language gets Chinese.
      DEFAULT_LOCALE: 'zh-CN',
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function mailFor(purpose: string, language?: string) {
    const email = `${uniqueName('mail')}@example.com`;
    await register(t, { email });
    const before = smtp.inbox.count(email);
    const req = t.http().post(`${API}/auth/codes`);
    const res = await (language ? req.set('Accept-Language', language) : req).send({ purpose, email });
    expect(res.status).toBe(200);
    const mail = await simpleParser(String((await smtp.inbox.next(email, before)).body.raw));
    const code = /\d{6}/.exec(mail.text ?? '')?.[0] ?? '';
    return { mail, code };
  }

  it('mails in Chinese when the browser asks for zh, with the code in the subject, text and HTML', async () => {
    const { mail, code } = await mailFor('reset_password', 'fr;q=0.9,zh;q=0.5');
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.subject).toBe(`Gatehouse 验证码：${code}`);
    expect(mail.text?.trim()).toBe(`您的验证码是 ${code}，用于重置密码，5 分钟内有效。如非本人操作，请忽略本消息。`);
    expect(mail.html).toContain(`<strong>${code}</strong>，用于重置密码`);
  });

  it('mails in English when the request asks for English, whatever the default', async () => {
    const { mail, code } = await mailFor('reset_password', 'en-GB');
    expect(mail.subject).toBe(`Your Gatehouse code: ${code}`);
    expect(mail.text).toContain(`Your code to reset your password is ${code}. It expires in 5 minutes.`);
    expect(mail.html).toContain(`<strong>${code}</strong>`);
  });

  it('falls back to DEFAULT_LOCALE when the request names no language we speak', async () => {
    for (const language of [undefined, 'de']) {
      const { mail, code } = await mailFor('reset_password', language);
      expect(mail.subject, language).toBe(`Gatehouse 验证码：${code}`);
    }
  });

  it('names its own rule when both phone and email are sent, worded in the request language', async () => {
    const body = { purpose: 'reset_password', phone: '13500000000', email: `${uniqueName('both')}@example.com` };
    const zh = await t.http().post(`${API}/auth/codes`).set('Accept-Language', 'zh-CN').send(body);
    const en = await t.http().post(`${API}/auth/codes`).set('Accept-Language', 'en').send(body);
    expect([zh.status, en.status]).toEqual([400, 400]);
    expect(zh.body.errors).toEqual([
      { field: 'email', rule: 'phone_or_email', params: {}, message: '手机号和邮箱只能填写一个' },
    ]);
    expect(en.body.errors).toEqual([
      { field: 'email', rule: 'phone_or_email', params: {}, message: 'send phone or email, not both' },
    ]);
  });
});
