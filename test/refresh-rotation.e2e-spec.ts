import jwt from 'jsonwebtoken';
import { API, bearer, GOOD_PASSWORD, register, type Tokens, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;

/** Registers from a client that sends these headers (user agent, device id). */
async function registerFrom(t: TestApp, headers: Record<string, string>): Promise<Tokens> {
  const res = await t
    .http()
    .post(`${API}/auth/register`)
    .set(headers)
    .send({ username: uniqueName(), password: GOOD_PASSWORD });
  expect(res.status).toBe(201);
  return res.body.data as Tokens;
}

async function refreshTokenRows(t: TestApp, sessionId: string): Promise<number> {
  const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM refresh_tokens WHERE session_id = ?', [sessionId]);
  return Number(row.n);
}

describe('refresh token rotation within the grace window (SPEC §5)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const refresh = (token: string) => t.http().post(`${API}/auth/refresh`).send({ refresh_token: token });

  it('answers a retried refresh with the same new refresh token', async () => {
    const a = await register(t);
    const first = await refresh(a.refresh_token);
    expect(first.status).toBe(200);
    const b = first.body.data.refresh_token as string;
    expect(b).not.toBe(a.refresh_token);
    const retry = await refresh(a.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.data.refresh_token).toBe(b);
    expect((await t.http().get(`${API}/users/me`).set(bearer(retry.body.data.access_token))).status).toBe(200);
    expect(await refreshTokenRows(t, sidOf(b))).toBe(2);
  });

  it('gives 8 concurrent refreshes with one token the identical new refresh token, and makes one row', async () => {
    const a = await register(t);
    const sid = sidOf(a.refresh_token);
    expect(await refreshTokenRows(t, sid)).toBe(1);
    const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(a.refresh_token)));
    expect(answers.map((res) => res.status)).toEqual(Array(8).fill(200));
    const issued = new Set(answers.map((res) => res.body.data.refresh_token as string));
    expect(issued.size).toBe(1);
    const [b] = issued;
    expect(b).not.toBe(a.refresh_token);
    expect(await refreshTokenRows(t, sid)).toBe(2);
    const next = await refresh(b);
    expect(next.status).toBe(200);
    expect(await refreshTokenRows(t, sid)).toBe(3);
  });

  it('gives a token presented after its successor rotated the current token, never a fork', async () => {
    const a: Tokens = await register(t);
    const b = (await refresh(a.refresh_token)).body.data.refresh_token as string;
    const cRes = await refresh(b);
    expect(cRes.status).toBe(200);
    const c = cRes.body.data.refresh_token as string;
    expect(c).not.toBe(b);
    const late = await refresh(a.refresh_token);
    expect(late.status).toBe(200);
    expect(late.body.data.refresh_token).toBe(c);
    expect(await refreshTokenRows(t, sidOf(a.refresh_token))).toBe(3);
    const [session] = await t.dataSource.query('SELECT revoked_at FROM sessions WHERE id = ?', [sidOf(c)]);
    expect(session.revoked_at).toBeNull();
    expect((await refresh(c)).status).toBe(200);
  });

  it('audits each grace answer as refresh_grace, without the token', async () => {
    const a = await register(t);
    const sid = sidOf(a.refresh_token);
    expect((await refresh(a.refresh_token)).status).toBe(200);
    expect((await refresh(a.refresh_token)).status).toBe(200);
    expect((await refresh(a.refresh_token)).status).toBe(200);
    const events: Array<Record<string, unknown>> = await t.dataSource.query(
      'SELECT * FROM audit_events WHERE type = ? AND session_id = ?',
      ['refresh_grace', sid],
    );
    expect(events).toHaveLength(2);
    expect(Number(events[0].user_id)).toBe(a.userInfo.id);
    for (const value of Object.values(events[0])) {
      expect(String(value)).not.toContain(a.refresh_token.split('.')[2]);
    }
  });

  it('treats a rotated token from another user agent inside the window as reuse (SPEC §5)', async () => {
    const a = await registerFrom(t, { 'User-Agent': 'phone-app/1.0' });
    const sid = sidOf(a.refresh_token);
    const rotated = await refresh(a.refresh_token).set('User-Agent', 'phone-app/1.0');
    expect(rotated.status).toBe(200);
    const stolen = await refresh(a.refresh_token).set('User-Agent', 'curl/8.0');
    expect(stolen.status).toBe(401);
    expect(stolen.body).toEqual({ code: 401, msg: expect.any(String), error: 'REFRESH_TOKEN_REUSED', data: null });
    const [session] = await t.dataSource.query('SELECT revoke_reason FROM sessions WHERE id = ?', [sid]);
    expect(session.revoke_reason).toBe('refresh_reuse');
    const reuse = await t.dataSource.query('SELECT user_agent FROM audit_events WHERE type = ? AND session_id = ?', [
      'refresh_reuse',
      sid,
    ]);
    expect(reuse).toEqual([{ user_agent: 'curl/8.0' }]);
    const grace = await t.dataSource.query('SELECT id FROM audit_events WHERE type = ? AND session_id = ?', [
      'refresh_grace',
      sid,
    ]);
    expect(grace).toEqual([]);
    const next = await refresh(rotated.body.data.refresh_token as string).set('User-Agent', 'phone-app/1.0');
    expect(next.body.error).toBe('TOKEN_REVOKED');
  });

  it('gives the grace answer to the same device id, whatever its user agent', async () => {
    const device = { 'X-Device-Id': 'device-0001-grace' };
    const a = await registerFrom(t, { ...device, 'User-Agent': 'app/1' });
    const first = await refresh(a.refresh_token).set(device).set('User-Agent', 'app/1');
    expect(first.status).toBe(200);
    const retry = await refresh(a.refresh_token).set(device).set('User-Agent', 'app/2');
    expect(retry.status).toBe(200);
    expect(retry.body.data.refresh_token).toBe(first.body.data.refresh_token);
  });

  it('leaves the old state when a rotation fails halfway, so the token still rotates afterwards (issue 15.12)', async () => {
    const a = await register(t);
    const sid = sidOf(a.refresh_token);
    const state = async () => {
      const [session] = await t.dataSource.query('SELECT refresh_jti FROM sessions WHERE id = ?', [sid]);
      const tokens = await t.dataSource.query('SELECT jti, rotated_at FROM refresh_tokens WHERE session_id = ?', [sid]);
      return { current: session.refresh_jti as string, tokens };
    };
    const before = await state();
    // A crash after the swap: stamping the old token's rotated_at (the last statement) fails.
    const sqlite = t.dataSource.options.type === 'better-sqlite3';
    await t.dataSource.query(
      sqlite
        ? "CREATE TRIGGER crash_rotation BEFORE UPDATE ON refresh_tokens BEGIN SELECT RAISE(ABORT, 'crash'); END"
        : "CREATE TRIGGER crash_rotation BEFORE UPDATE ON refresh_tokens FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'crash'",
    );
    try {
      const failed = await refresh(a.refresh_token);
      expect(failed.status).toBe(500);
      expect(failed.body.error).toBe('INTERNAL_ERROR');
    } finally {
      await t.dataSource.query('DROP TRIGGER crash_rotation');
    }
    expect(await state()).toEqual(before);
    const retry = await refresh(a.refresh_token);
    expect(retry.status).toBe(200);
    expect(sidOf(retry.body.data.refresh_token as string)).toBe(sid);
    expect(await refreshTokenRows(t, sid)).toBe(2);
    expect((await state()).current).not.toBe(before.current);
  });
});

describe('refresh token reuse after the grace window (SPEC §5)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REFRESH_REUSE_GRACE: '1s' });
  });
  afterAll(async () => {
    await t.close();
  });

  const refresh = (token: string) => t.http().post(`${API}/auth/refresh`).send({ refresh_token: token });

  it('refuses a refresh token reused after the grace window and revokes the whole session', async () => {
    const a = await register(t);
    const sid = sidOf(a.refresh_token);
    const rotated = await refresh(a.refresh_token);
    expect(rotated.status).toBe(200);
    const newest = rotated.body.data as Tokens;

    t.clock.advance(1500);
    const reuse = await refresh(a.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.body).toEqual({ code: 401, msg: expect.any(String), error: 'REFRESH_TOKEN_REUSED', data: null });

    for (const access of [a.access_token, newest.access_token]) {
      const me = await t.http().get(`${API}/users/me`).set(bearer(access));
      expect(me.status).toBe(401);
      expect(me.body.error).toBe('TOKEN_REVOKED');
    }
    const next = await refresh(newest.refresh_token);
    expect(next.status).toBe(401);
    expect(next.body.error).toBe('TOKEN_REVOKED');

    const [session] = await t.dataSource.query('SELECT revoked_at, revoke_reason FROM sessions WHERE id = ?', [sid]);
    expect(Number(session.revoked_at)).toBeGreaterThan(0);
    expect(session.revoke_reason).toBe('refresh_reuse');

    const events: Array<Record<string, unknown>> = await t.dataSource.query(
      'SELECT * FROM audit_events WHERE type = ? AND session_id = ?',
      ['refresh_reuse', sid],
    );
    expect(events).toHaveLength(1);
    expect(Number(events[0].user_id)).toBe(a.userInfo.id);
    const secrets = [a.refresh_token, a.access_token, newest.refresh_token, newest.access_token];
    for (const value of Object.values(events[0])) {
      for (const secret of secrets) {
        expect(String(value)).not.toContain(secret.split('.')[2]);
        expect(String(value)).not.toContain(secret.split('.')[1]);
      }
    }
  });

  it('leaves the other sessions of the same user alone', async () => {
    const a = await register(t);
    const other = await t.http().post(`${API}/auth/login`).send({ username: a.username, password: GOOD_PASSWORD });
    expect(other.status).toBe(200);
    await refresh(a.refresh_token);
    t.clock.advance(1500);
    expect((await refresh(a.refresh_token)).body.error).toBe('REFRESH_TOKEN_REUSED');
    expect((await t.http().get(`${API}/users/me`).set(bearer(other.body.data.access_token))).status).toBe(200);
    expect((await refresh(other.body.data.refresh_token)).status).toBe(200);
  });
});
