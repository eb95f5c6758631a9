import verificationConfig from '#src/verification/verification.config.js';

describe('verificationConfig', () => {
  const saved = { ...process.env };

  beforeEach(() => {
    for (const key of Object.keys(process.env)) {
      if (/^(CODE_|SMS_|EMAIL_|WEBHOOK_|SMTP_|MAIL_|ALIYUN_|TENCENT_)/.test(key)) {
        delete process.env[key];
      }
    }
    process.env.NODE_ENV = 'development';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('has the SPEC §12 defaults, with console providers in development', () => {
    expect(verificationConfig()).toMatchObject({
      codeLength: 6,
      codeTtl: 300,
      maxAttempts: 5,
      resendInterval: 60,
      dailyMax: 10,
      ipMax: 20,
      verifyIpMax: 30,
      globalMax: 1000,
      smsAllowedRegions: ['CN'],
      smsLoginSignup: false,
      smsProvider: 'console',
      emailProvider: 'console',
    });
  });

  it('turns both channels off in production when no provider is set', () => {
    process.env.NODE_ENV = 'production';
    expect(verificationConfig()).toMatchObject({ smsProvider: null, emailProvider: null });
  });

  it('refuses the console provider in production, naming the variable', () => {
    process.env.NODE_ENV = 'production';
    process.env.EMAIL_PROVIDER = 'console';
    expect(() => verificationConfig()).toThrow(/EMAIL_PROVIDER: console prints codes; refused in production/);
  });

  it('names every setting a chosen provider lacks, in one report', () => {
    process.env.SMS_PROVIDER = 'tencent';
    process.env.EMAIL_PROVIDER = 'smtp';
    process.env.SMS_ALLOWED_REGIONS = 'CN,XX';
    let message = '';
    try {
      verificationConfig();
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of [
      'SMTP_URL',
      'MAIL_FROM',
      'TENCENT_SECRET_ID',
      'TENCENT_SMS_APP_ID',
      'TENCENT_SMS_TEMPLATE_LOGIN',
      'TENCENT_SMS_TEMPLATE_VERIFY_PHONE',
      'SMS_ALLOWED_REGIONS',
    ]) {
      expect(message).toContain(`  ${name}:`);
    }
  });

  it('refuses a short WEBHOOK_SECRET and an unknown provider', () => {
    process.env.WEBHOOK_SECRET = 'short';
    process.env.SMS_PROVIDER = 'carrier-pigeon';
    expect(() => verificationConfig()).toThrow(/WEBHOOK_SECRET[\s\S]*SMS_PROVIDER|SMS_PROVIDER[\s\S]*WEBHOOK_SECRET/);
  });
});
