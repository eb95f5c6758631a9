import { readFileSync } from 'node:fs';
import { generate } from 'otplib';
import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, FULL_HASH_QUEUE, type TestApp } from './helpers/test-app.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/** One Prometheus sample's value, e.g. sample(text, 'gatehouse_logins_total{outcome="success"}'); 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** A TOTP code for the current step that is not `avoid`, well-formed, and that no step near now accepts. */
async function wrongCode(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const valid = new Set(await Promise.all([-60, -30, 0, 30, 60].map((d) => generate({ secret, epoch: now + d }))));
  let i = 0;
  while (valid.has(String(i).padStart(6, '0'))) {
    i += 1;
  }
  return String(i).padStart(6, '0');
}

const MFA_FAILURE = 'gatehouse_logins_total{outcome="mfa_failure"}';

describe('metrics (SPEC §10)', () => {
  let t: TestApp;
  const metrics = async () => (await t.http().get('/metrics')).text;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('does not count a wrong code during TOTP enrolment as a login mfa_failure, but counts one at login', async () => {
    const user = await register(t);
    const setup = await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(user.access_token));
    const secret = setup.body.data.secret as string;
    const before = sample(await metrics(), MFA_FAILURE);

    const enrolment = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ password: GOOD_PASSWORD, code: await wrongCode(secret) });
    expect(enrolment.status).toBe(401);
    expect(sample(await metrics(), MFA_FAILURE)).toBe(before);

    const now = Math.floor(t.clock.now() / 1000);
    const enabled = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ password: GOOD_PASSWORD, code: await generate({ secret, epoch: now }) });
    expect(enabled.status).toBe(200);
    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    const verify = await t
      .http()
      .post(`${API}/auth/mfa/verify`)
      .send({ mfa_token: login.body.data.mfa_token as string, code: await wrongCode(secret) });
    expect(verify.status).toBe(401);
    expect(sample(await metrics(), MFA_FAILURE)).toBe(before + 1);
  });

  it('labels routes by pattern only: unmatched paths share one label and never name the path', async () => {
    const paths = [`${API}/no-such-route-3f9a1c`, '/assets/index-7be41d0c.js', '/favicon-a1b2c3d4.ico'];
    for (const path of paths) {
      expect((await t.http().get(path)).status).toBe(404);
    }
    const me = await register(t);
    await t.http().get(`${API}/users/me`).set(bearer(me.access_token));
    const text = await metrics();
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(
      paths.length,
    );
    expect(text).toContain('route="/api/v1/users/me"');
    for (const marker of ['3f9a1c', '7be41d0c', 'a1b2c3d4']) {
      expect(text).not.toContain(marker);
    }
  });

  it('shows hash duration, hash-queue wait and registrations after a register and a login', async () => {
    const before = await metrics();
    const user = await register(t);
    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    const after = await metrics();
    expect(sample(after, 'gatehouse_registrations_total')).toBe(sample(before, 'gatehouse_registrations_total') + 1);
    // One hash at registration and one verify at login, each timed once it ran and once for its wait.
    for (const series of ['gatehouse_password_hash_duration_seconds', 'gatehouse_hash_queue_wait_seconds']) {
      expect(sample(after, `${series}_count`), series).toBe(sample(before, `${series}_count`) + 2);
      expect(after).toContain(`${series}_bucket{le="+Inf"}`);
    }
    expect(sample(after, 'gatehouse_password_hash_duration_seconds_sum')).toBeGreaterThan(
      sample(before, 'gatehouse_password_hash_duration_seconds_sum'),
    );
  });

  it('names in docs/deploying.md only series and labels that exist', () => {
    const docs = readFileSync('docs/deploying.md', 'utf8');
    const registry = t.app.get(MetricsService).registry;
    const named = [...docs.matchAll(/`((?:gatehouse|http)_[a-z_]+)(?:\{([a-z_,]+)\})?`/g)];
    expect(named.length).toBeGreaterThan(5);
    for (const [, name, labels] of named) {
      const metric = registry.getSingleMetric(name) as unknown as { labelNames?: string[] } | undefined;
      expect(metric, name).toBeDefined();
      expect([...(metric!.labelNames ?? [])].sort(), name).toEqual(labels ? labels.split(',').sort() : []);
    }
  });
});

describe('hash-queue metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(FULL_HASH_QUEUE);
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts every login refused with 503 because the hashing queue was full', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        t
          .http()
          .post(`${API}/auth/login`)
          .send({ username: uniqueName('ghost'), password: GOOD_PASSWORD }),
      ),
    );
    const refused = answers.filter((res) => res.status === 503).length;
    expect(refused).toBeGreaterThanOrEqual(1);
    const text = (await t.http().get('/metrics')).text;
    expect(sample(text, 'gatehouse_hash_queue_rejections_total')).toBe(refused);
  });
});
