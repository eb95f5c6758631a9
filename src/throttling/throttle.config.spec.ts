import throttleConfig from '#src/throttling/throttle.config.js';

const KEYS = [
  'THROTTLE_LOGIN_ACCOUNT_IP_MAX',
  'THROTTLE_LOGIN_IP_WINDOW',
  'THROTTLE_LOGIN_LOCKOUT',
  'THROTTLE_MFA_MAX',
];

describe('throttleConfig', () => {
  const saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));
  afterEach(() => {
    for (const key of KEYS) {
      if (saved[key] === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = saved[key];
      }
    }
  });

  it('has the SPEC §7 defaults', () => {
    for (const key of KEYS) {
      delete process.env[key];
    }
    expect(throttleConfig()).toMatchObject({
      store: { type: 'memory' },
      loginAccountIp: { max: 5 },
      lockout: 60,
      lockoutMax: 900,
      loginAccount: { max: 50, window: 3600 },
      loginIp: { max: 30, window: 60 },
    });
  });

  it('reads every threshold and window, an empty value meaning the default', () => {
    Object.assign(process.env, {
      THROTTLE_LOGIN_ACCOUNT_IP_MAX: '3',
      THROTTLE_LOGIN_IP_WINDOW: '5m',
      THROTTLE_MFA_MAX: '',
    });
    expect(throttleConfig()).toMatchObject({
      loginAccountIp: { max: 3 },
      loginIp: { max: 30, window: 300 },
      mfa: { max: 5 },
    });
  });

  it.each([
    ['THROTTLE_LOGIN_ACCOUNT_IP_MAX', '0'],
    ['THROTTLE_LOGIN_ACCOUNT_IP_MAX', 'five'],
    ['THROTTLE_LOGIN_IP_WINDOW', '0'],
    ['THROTTLE_LOGIN_IP_WINDOW', 'soon'],
    ['THROTTLE_LOGIN_LOCKOUT', '1h'],
  ])('stops the start on %s=%s, naming the variable', (key, value) => {
    process.env[key] = value;
    expect(() => throttleConfig()).toThrow(new RegExp(key.replace('LOCKOUT', 'LOCKOUT(_MAX)?')));
  });
});

describe('throttleConfig named rate limits', () => {
  afterEach(() => {
    delete process.env.RATE_LIMIT_REPORT_EXPORT;
  });

  it('reads RATE_LIMIT_<NAME>=points/duration under the lower-case name', () => {
    process.env.RATE_LIMIT_REPORT_EXPORT = '10/1m';
    expect(throttleConfig().rateLimits).toEqual({ report_export: { max: 10, window: 60 } });
  });

  it.each(['10', '0/1m', 'ten/1m', '10/soon'])('stops the start on RATE_LIMIT_REPORT_EXPORT=%s', (value) => {
    process.env.RATE_LIMIT_REPORT_EXPORT = value;
    expect(() => throttleConfig()).toThrow(/RATE_LIMIT_REPORT_EXPORT/);
  });
});
