import type { AddressInfo } from 'node:net';
import { PasswordService } from '#src/passwords/password.service.js';
import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** One Prometheus sample's value, e.g. sample(text, 'gatehouse_logins_total{outcome="success"}'). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('operations: request ids, redacted logs, metrics, headers', () => {
  const lines: string[] = [];
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { logStream: { write: (line) => void lines.push(line) } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('echoes a sane X-Request-Id and mints one otherwise', async () => {
    const echoed = await t.http().get('/health/live').set('X-Request-Id', 'client-req.42_A');
    expect(echoed.headers['x-request-id']).toBe('client-req.42_A');
    for (const bad of ['a'.repeat(129), 'two words', 'semi;colon', '']) {
      const res = await t.http().get('/health/live').set('X-Request-Id', bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const minted = await t.http().get('/health/live');
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes JSON log lines with the request id and never a password, token or Authorization header', async () => {
    const user = await register(t);
    const requestId = `login-${uniqueName()}`;
    const login = await t
      .http()
      .post(`${API}/auth/login`)
      .set('X-Request-Id', requestId)
      .send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    const me = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(login.body.data.access_token as string));
    expect(me.status).toBe(200);
    // What a careless `log.info(request)` would write goes through the same redaction.
    t.app
      .getHttpAdapter()
      .getInstance()
      .log.info(
        {
          body: { password: GOOD_PASSWORD, refresh_token: user.refresh_token },
          headers: { authorization: 'Bearer x' },
        },
        'probe',
      );
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.some((r) => r.reqId === requestId)).toBe(true);
    const all = lines.join('\n');
    for (const secret of [
      GOOD_PASSWORD,
      user.access_token,
      user.refresh_token,
      login.body.data.refresh_token,
      'Bearer x',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(records.find((r) => r.msg === 'probe')).toMatchObject({
      body: { password: '[REDACTED]', refresh_token: '[REDACTED]' },
      headers: { authorization: '[REDACTED]' },
    });
  });

  it('serves Prometheus metrics outside /api/v1 without an envelope', async () => {
    // An app of its own: the legacy-hash share counts every user and is cached for a minute after any scrape,
    // so on the shared app it would depend on which tests ran before.
    const m = await createTestApp();
    try {
      const argonUser = await register(m);
      const bcryptUser = await register(m);
      await m.dataSource.query('UPDATE users SET password_hash = ? WHERE username_normalized = ?', [
        '$2b$10$abcdefghijklmnopqrstuuJ0gF0pXl3tQ6dZ9m0kqB0lV5Wm5p3G2',
        bcryptUser.username.toLowerCase(),
      ]);
      const before = (await m.http().get('/metrics')).text;
      const good = await m
        .http()
        .post(`${API}/auth/login`)
        .send({ username: argonUser.username, password: GOOD_PASSWORD });
      expect(good.status).toBe(200);
      const ok = await m
        .http()
        .post(`${API}/auth/login`)
        .send({ username: bcryptUser.username, password: 'wrong-pass' });
      expect(ok.status).toBe(401);
      const res = await m.http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      const after = res.text;
      expect(sample(after, 'gatehouse_logins_total{outcome="failure"}')).toBe(
        sample(before, 'gatehouse_logins_total{outcome="failure"}') + 1,
      );
      expect(sample(after, 'gatehouse_logins_total{outcome="success"}')).toBe(
        sample(before, 'gatehouse_logins_total{outcome="success"}') + 1,
      );
      expect(after).toMatch(
        /http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/auth\/login",status_code="401"\} \d+/,
      );
      expect(after).toContain('gatehouse_hash_queue_depth 0');
      expect(after).toContain('process_cpu_user_seconds_total');
      // One Argon2id user and one bcrypt user (the ratio was computed on the first scrape above).
      expect(sample(after, 'gatehouse_legacy_password_hash_ratio')).toBe(0.5);
      expect((await m.http().get(`${API}/metrics`)).status).toBe(404);
    } finally {
      await m.close();
    }
  });

  it('counts refreshes and reuse detections', async () => {
    const user = await register(t);
    const before = (await t.http().get('/metrics')).text;
    const first = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(first.status).toBe(200);
    const retried = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(retried.status).toBe(200);
    const text = (await t.http().get('/metrics')).text;
    // Counted from this test's first scrape, so other tests' refreshes on the shared app do not matter.
    const delta = (series: string) => sample(text, series) - sample(before, series);
    expect(delta('gatehouse_refreshes_total{outcome="rotated"}')).toBe(1);
    expect(delta('gatehouse_refreshes_total{outcome="grace"}')).toBe(1);
    expect(delta('gatehouse_refresh_reuse_detections_total')).toBe(0);
  });

  it('counts attempts refused by throttling, by limit', async () => {
    const throttled = await createTestApp({ THROTTLE_REGISTER_MAX: '1' });
    try {
      await register(throttled);
      const refused = await throttled
        .http()
        .post(`${API}/auth/register`)
        .send({ username: 'second_user', password: GOOD_PASSWORD });
      expect(refused.status).toBe(429);
      const text = (await throttled.http().get('/metrics')).text;
      expect(sample(text, 'gatehouse_throttled_attempts_total{limit="register"}')).toBe(1);
    } finally {
      await throttled.close();
    }
  });

  it('sends helmet headers and keeps Swagger UI loadable', async () => {
    const api = await t.http().get('/health/live');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['content-security-policy']).toContain("default-src 'self'");
    const docs = await t.http().get('/docs');
    expect(docs.status).toBe(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    // Swagger UI must load only same-origin scripts, which that CSP allows: no inline <script> body.
    const scripts = [...docs.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src="\.\/docs\/([^"]+)"/.exec(attrs)?.[1];
      expect(src).toBeDefined();
      const js = await t.http().get(`/docs/${src}`);
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toContain('javascript');
    }
  });

  it('answers no CORS headers when CORS_ORIGINS is unset', async () => {
    const res = await t
      .http()
      .options(`${API}/auth/login`)
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS from CORS_ORIGINS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com, https://admin.example.com' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('allows a listed origin and exposes Retry-After and X-Request-Id', async () => {
    const res = await t
      .http()
      .options(`${API}/users/me`)
      .set('Origin', 'https://admin.example.com')
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://admin.example.com');
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    const simple = await t.http().get('/health/live').set('Origin', 'https://app.example.com');
    expect(simple.headers['access-control-expose-headers']).toContain('X-Request-Id');
  });

  it('does not allow an unlisted origin', async () => {
    const res = await t
      .http()
      .options(`${API}/auth/login`)
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('graceful shutdown', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.db.drop();
  });

  it('finishes a login already in flight when the app closes, then refuses new connections', async () => {
    const user = await register(t);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const passwords = t.app.get(PasswordService);
    const verify = passwords.verify.bind(passwords);
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    passwords.verify = async (...args: Parameters<typeof verify>) => {
      arrived();
      await gate;
      return verify(...args);
    };
    const login = fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: GOOD_PASSWORD }),
    });
    await inFlight;
    const server = t.app.getHttpServer();
    const closed = t.app.close();
    // Let the login go on only once the server has stopped accepting: it is finished by close(), not before it.
    while (server.listening) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    release();
    const res = await login;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { access_token: string } };
    expect(typeof body.data.access_token).toBe('string');
    await closed;
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });
});
