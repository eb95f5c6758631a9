import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { startSmsApiStandIn, startSmtpSink } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let phoneCounter = 0;
function uniqueNational(): string {
  phoneCounter += 1;
  return `135${String((process.pid * 1000 + phoneCounter) % 1e8).padStart(8, '0')}`;
}

const TEMPLATES = (vendor: string) => ({
  [`${vendor}_SMS_TEMPLATE_LOGIN`]: 'TPL_LOGIN',
  [`${vendor}_SMS_TEMPLATE_RESET_PASSWORD`]: 'TPL_RESET',
  [`${vendor}_SMS_TEMPLATE_VERIFY_PHONE`]: 'TPL_VERIFY',
});

describe('providers on real transports: SMTP and the Aliyun SDK (SPEC §12)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let api: Awaited<ReturnType<typeof startSmsApiStandIn>>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    api = await startSmsApiStandIn();
    t = await createTestApp({
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
      SMS_PROVIDER: 'aliyun',
      ALIYUN_ACCESS_KEY_ID: 'test-ak',
      ALIYUN_ACCESS_KEY_SECRET: 'test-sk',
      ALIYUN_SMS_SIGN_NAME: 'Gatehouse',
      ALIYUN_SMS_ENDPOINT: api.endpoint,
      ...TEMPLATES('ALIYUN'),
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await api.close();
  });

  it('mails a reset code with a text and an HTML part, and the code resets the password', async () => {
    const email = `${uniqueName('mail')}@example.com`;
    await register(t, { email });
    const before = smtp.inbox.count(email);
    const res = await t.http().post(`${API}/auth/codes`).send({ purpose: 'reset_password', email });
    expect(res.status).toBe(200);
    const mail = await smtp.inbox.next(email, before);
    const raw = String(mail.body.raw);
    expect(mail.body.from).toMatchObject({ address: 'no-reply@gatehouse.test' });
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(mail.code).toMatch(/^\d{6}$/);
    const reset = await t
      .http()
      .post(`${API}/auth/password/reset`)
      .send({ email, code: mail.code, new_password: 'Green-Teapot-73' });
    expect(reset.status).toBe(200);
  });

  it('sends a login code through the Aliyun SDK with the sign name and the login template', async () => {
    const national = uniqueNational();
    await register(t, { phone: national });
    const before = api.inbox.count(national);
    expect((await t.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone: national })).status).toBe(200);
    const sms = await api.inbox.next(national, before);
    expect(sms.body).toEqual({
      vendor: 'aliyun',
      action: 'SendSms',
      signName: 'Gatehouse',
      template: 'TPL_LOGIN',
      signed: true,
    });
    const login = await t.http().post(`${API}/auth/login/code`).send({ phone: national, code: sms.code });
    expect(login.status).toBe(200);
  });
});

describe('providers: the Tencent Cloud SDK, console email, failures logged without the code', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof startSmsApiStandIn>>;
  const lines: string[] = [];

  beforeAll(async () => {
    api = await startSmsApiStandIn();
    t = await createTestApp(
      {
        LOG_LEVEL: 'warn',
        SMS_PROVIDER: 'tencent',
        TENCENT_SECRET_ID: 'test-id',
        TENCENT_SECRET_KEY: 'test-key',
        TENCENT_SMS_APP_ID: '1400000001',
        TENCENT_SMS_SIGN_NAME: 'Gatehouse',
        TENCENT_SMS_ENDPOINT: api.endpoint,
        CODE_SEND_RETRIES: '1',
        ...TEMPLATES('TENCENT'),
      },
      { logStream: { write: (line) => void lines.push(line) } },
    );
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it('sends a verify-phone code through the Tencent SDK with app id, sign name and template', async () => {
    const user = await register(t);
    const phone = `+86${uniqueNational()}`;
    const before = api.inbox.count(phone);
    const res = await t
      .http()
      .post(`${API}/users/me/phone`)
      .set('Authorization', `Bearer ${user.access_token}`)
      .send({ phone, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    const sms = await api.inbox.next(phone, before);
    expect(sms.body).toEqual({
      vendor: 'tencent',
      action: 'SendSms',
      signName: 'Gatehouse',
      template: 'TPL_VERIFY',
      appId: '1400000001',
      signed: true,
    });
  });

  it('writes the code of a console provider at warn with a marker, the one code in the log', async () => {
    const email = `${uniqueName('console')}@example.com`;
    await register(t, { email });
    await t.http().post(`${API}/auth/codes`).send({ purpose: 'reset_password', email });
    await vi.waitFor(() => expect(lines.some((l) => l.includes(email))).toBe(true), { timeout: 5000 });
    const line = JSON.parse(lines.find((l) => l.includes(email))!) as { level: number; msg: string };
    expect(line.level).toBe(40);
    expect(line.msg).toMatch(
      new RegExp(`^\\[DEV ONLY: VERIFICATION CODE\\] email to ${email} for reset_password: \\d{6}$`),
    );
  });

  it('retries a failed send, logs it without the code, and the answer does not change', async () => {
    const national = uniqueNational();
    const phone = `+86${national}`;
    await register(t, { phone });
    api.failFor.add(phone);
    const res = await t.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone });
    expect(res.body).toEqual({ code: 200, msg: 'success', data: { resend_after: 60, expires_in: 300 } });
    const first = await api.inbox.next(phone, 0);
    await api.inbox.next(phone, 1);
    await vi.waitFor(
      () => expect(lines.filter((l) => l.includes('tencent sms send for login failed'))).toHaveLength(2),
      {
        timeout: 5000,
      },
    );
    expect(lines.join('\n')).not.toContain(first.code);
    const metrics = (await t.http().get('/metrics')).text;
    expect(metrics).toContain('gatehouse_code_sends_total{channel="sms",provider="tencent",outcome="failed"} 1');
    expect(metrics).toContain('gatehouse_code_sends_total{channel="sms",provider="tencent",outcome="retried"} 1');
  });
});
