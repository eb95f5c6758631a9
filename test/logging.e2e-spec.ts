import { logStartBanner } from '#src/logging/start-banner.js';
import { API, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Boots the app with NODE_ENV=`env` and collects what it logs. */
async function appLogging(
  env: string,
  level = 'info',
  more: Record<string, string> = {},
): Promise<{ t: TestApp; lines: string[] }> {
  const lines: string[] = [];
  const t = await createTestApp(
    { NODE_ENV: env, LOG_LEVEL: level, ...more },
    { logStream: { write: (line) => void lines.push(line) } },
  );
  return { t, lines };
}

describe('logs: readable in development, JSON in production, a start banner', () => {
  it('writes readable lines in development, with the time, level and request id, and no secret', async () => {
    const { t, lines } = await appLogging('development');
    try {
      const user = await register(t);
      const login = await t
        .http()
        .post(`${API}/auth/login`)
        .set('X-Request-Id', 'readable-req-1')
        .send({ username: user.username, password: GOOD_PASSWORD });
      expect(login.status).toBe(200);

      const text = lines.join('');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((line) => !line.trimStart().startsWith('{'))).toBe(true);
      expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO/m);
      expect(text).toContain('"reqId":"readable-req-1"');
      expect(text).not.toContain(GOOD_PASSWORD);
      expect(text).not.toContain(login.body.data.access_token as string);
      expect(text).not.toMatch(/Mapped \{/);
    } finally {
      await t.close();
    }
  });

  it('writes one line per request, with its route, status, error code and time, in no colour off a terminal', async () => {
    const { t, lines } = await appLogging('development');
    try {
      const user = await register(t);
      const login = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ username: user.username, password: 'Wrong-Password-1' });
      expect(login.status).toBe(401);

      const requestLines = lines.filter((line) => line.includes(`${API}/auth/login`));
      expect(requestLines).toHaveLength(1);
      expect(requestLines[0]).toMatch(/WARN.*: POST \/api\/v1\/auth\/login 401 INVALID_CREDENTIALS \d+ms/);
      expect(lines.join('')).not.toMatch(/incoming request|request completed/);
      // eslint-disable-next-line no-control-regex -- the escape character is what is looked for
      expect(lines.join('')).not.toMatch(/\x1b\[/);
    } finally {
      await t.close();
    }
  });

  it('says once, at warn, when a lockout starts, naming the limit and a masked account, never the password', async () => {
    // The default limit of 5 failures per account and IP (the test app raises it for other specs).
    const { t, lines } = await appLogging('production', 'warn', { THROTTLE_LOGIN_ACCOUNT_IP_MAX: '', TRUST_PROXY: '' });
    try {
      const user = await register(t);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await t
          .http()
          .post(`${API}/auth/login`)
          .send({ username: user.username, password: 'Wrong-Password-1' });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; context?: string });
      const lockouts = records.filter((r) => r.msg.startsWith('lockout:'));
      expect(lockouts).toEqual([
        expect.objectContaining({
          level: 40,
          context: 'ThrottlingService',
          msg: expect.stringMatching(
            /^lockout: login_account_ip \(locked for 60s\) now refuses user \d+ \S+\*\*\*\S+ from /,
          ),
        }),
      ]);
      const text = lines.join('');
      expect(text).not.toContain('Wrong-Password-1');
      expect(lockouts[0].msg).not.toContain(user.username);
    } finally {
      await t.close();
    }
  });

  it('says when a shutdown starts draining and when it is done', async () => {
    const { t, lines } = await appLogging('production');
    await t.close();
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages.slice(-2)).toEqual(['shutting down: refusing new requests, finishing those in flight', 'stopped']);
  });

  it('keeps JSON lines in production, with Nest start-up chatter at debug level only', async () => {
    const { t, lines } = await appLogging('production', 'debug');
    try {
      await t.http().get('/health/live').set('X-Request-Id', 'json-req-1');
      const records = lines.map((line) => JSON.parse(line) as { level: number; msg?: string; reqId?: string });
      expect(records.some((r) => r.reqId === 'json-req-1')).toBe(true);
      const routes = records.filter((r) => r.msg?.startsWith('Mapped {'));
      expect(routes.length).toBeGreaterThan(10);
      expect(routes.every((r) => r.level === 20)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('names the URL, /docs, the demo page, the database and the secrets source once started', async () => {
    const { t } = await appLogging('development');
    try {
      const banner = logStartBanner(t.app);
      expect(banner[1]).toMatch(/API docs: {2}http:\/\/localhost:\d+\/docs$/);
      expect(banner[2]).toMatch(/Demo page: /);
    } finally {
      await t.close();
    }
  });

  it('lists only what production serves: no /docs and no demo page, which answer 404 there', async () => {
    const { t, lines } = await appLogging('production');
    try {
      const banner = logStartBanner(t.app);
      expect(banner[0]).toMatch(
        /^Gatehouse is ready at http:\/\/localhost:\d+ \(API under http:\/\/localhost:\d+\/api\/v1\)$/,
      );
      expect(banner.join('\n')).not.toMatch(/docs|Demo page/);
      expect((await t.http().get('/docs')).status).toBe(404);
      expect(banner[1]).toMatch(
        t.db.url.startsWith('sqlite:')
          ? /Database: {2}SQLite .*\.sqlite$/
          : /Database: {2}MySQL 127\.0\.0\.1:3306\/\w+$/,
      );
      expect(banner[2]).toBe('  Secrets:   from the environment');
      const logged = lines.map((line) => JSON.parse(line) as { msg?: string; context?: string });
      expect(logged.filter((r) => r.context === 'Gatehouse')).toEqual([
        expect.objectContaining({ msg: banner.join('\n') }),
      ]);
    } finally {
      await t.close();
    }
  });
});
