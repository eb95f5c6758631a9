import type { AddressInfo } from 'node:net';
import { generate } from 'otplib';
import {
  type AuthClient,
  type AuthClientOptions,
  type ChannelLike,
  createAuthClient,
  GatehouseError,
  type LockManagerLike,
  memoryStorage,
  type SessionEndReason,
  type TokenStorage,
} from '../client/src/index.js';
import type { ManualClock } from '#src/common/clock.js';
import { API, GOOD_PASSWORD, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const KEY = 'gatehouse.refresh_token';
const TOTP_PERIOD = 30;
// Long enough that no step of a slow run sees a fresh token expire by wall time: expiry is a clock move here.
const ACCESS_TTL_S = 60;
const REFRESH_REUSE_GRACE_S = 10;

/** A `fetch` that counts the refresh calls the client makes and can fail the next one. */
function countingFetch() {
  const counter = {
    refreshes: 0,
    failNextRefresh: false,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.endsWith('/auth/refresh')) {
        counter.refreshes += 1;
        if (counter.failNextRefresh) {
          counter.failNextRefresh = false;
          throw new TypeError('fetch failed');
        }
      }
      return fetch(input, init);
    }) as typeof fetch,
  };
  return counter;
}

/** `navigator.locks` for two clients in one process: one holder at a time, in order. */
function processLock(): LockManagerLike {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request<T>(_name: string, task: () => Promise<T>): Promise<T> {
      const run = tail.then(task, task);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/**
 * A tab's view of shared storage that, while `lagging`, still shows what it held before: a browser hands a
 * localStorage write to the origin's other tabs asynchronously, so one can hear a peer's message before it reads
 * the token that peer stored.
 */
interface LaggingView {
  snapshot: string | null;
  lagging: boolean;
  lagFrom(value: string | null): void;
  storage: TokenStorage;
}

function laggingView(shared: TokenStorage): LaggingView {
  const view: LaggingView = {
    snapshot: null as string | null,
    lagging: false,
    lagFrom(value) {
      view.snapshot = value;
      view.lagging = true;
    },
    storage: {
      get: (key) => (view.lagging ? view.snapshot : shared.get(key)),
      set: (key, value) => shared.set(key, value),
      remove: (key) => shared.remove(key),
    },
  };
  return view;
}

/** Resolves once every client listening on `name` has been handed the next `tokens` message (delivery is in order). */
function nextTokensMessage(name: string): Promise<void> {
  return new Promise((resolve) => {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'tokens') {
        channel.close();
        // The client's handler reads storage before it adopts: let that settle too.
        setImmediate(resolve);
      }
    };
  });
}

/**
 * A tab's BroadcastChannel that, from the first rotated pair it hears on, hands the tab every message `delayMs` late
 * (in order): the lock and the channel are separate pipes, so a browser can grant the lock before it delivers the
 * message its last holder posted just before letting go.
 */
function lateChannel(name: string, delayMs: number): ChannelLike {
  const channel = new BroadcastChannel(name);
  let late = false;
  return {
    postMessage: (message) => channel.postMessage(message),
    addEventListener: (_type, listener) =>
      channel.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
        const { data } = event;
        late ||= data?.type === 'tokens';
        if (late) {
          setTimeout(() => listener({ data }), delayMs);
        } else {
          listener({ data });
        }
      }),
    close: () => channel.close(),
  };
}

/** The code an authenticator shows at the app clock's time. */
function totpCode(secret: string, clock: ManualClock): Promise<string> {
  return generate({ secret, epoch: Math.floor(clock.now() / 1000) });
}

describe('TypeScript client against the real server', () => {
  let t: TestApp;
  let baseUrl: string;
  const clients: AuthClient[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      JWT_ACCESS_TTL: `${ACCESS_TTL_S}s`,
      REFRESH_REUSE_GRACE: `${REFRESH_REUSE_GRACE_S}s`,
    });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await t?.close();
  });

  function makeClient(overrides: AuthClientOptions = {}) {
    const counter = countingFetch();
    const expired: SessionEndReason[] = [];
    const storage = overrides.storage ?? memoryStorage();
    const client = createAuthClient({
      baseUrl,
      storage,
      fetch: counter.fetch,
      channel: null,
      locks: null,
      onSessionExpired: (reason) => expired.push(reason),
      ...overrides,
    });
    clients.push(client);
    return { client, counter, expired, storage };
  }

  /**
   * Moves the server's clock past the access TTL (JWT `exp` has one-second resolution) and checks with each
   * client's raw token that the server now calls it expired, so the test starts from the state it means to.
   */
  async function expireAccessTokens(...held: AuthClient[]): Promise<void> {
    t.clock.advance((ACCESS_TTL_S + 1) * 1000);
    for (const client of held) {
      const token = (client as unknown as { accessToken: string }).accessToken;
      const res = await fetch(`${baseUrl}${API}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('TOKEN_EXPIRED');
    }
  }

  async function rotations(userId: number): Promise<number> {
    const [row] = await t.dataSource.query(
      'SELECT COUNT(*) AS n FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE s.user_id = ?',
      [userId],
    );
    return Number(row.n) - 1;
  }

  it('registers, keeps the refresh token in storage only, and reads the profile', async () => {
    const { client, storage } = makeClient();
    const username = uniqueName('cli');
    const session = await client.register({ username, password: GOOD_PASSWORD, name: 'Client User' });
    expect(session).toEqual({
      mfa_required: false,
      userInfo: { id: expect.any(Number), name: 'Client User', role: 'user' },
      expires_in: ACCESS_TTL_S,
      refresh_expires_in: expect.any(Number),
    });
    expect(session).not.toHaveProperty('access_token');
    expect(await storage.get(KEY)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await client.me()).toMatchObject({ username, name: 'Client User', mfa_enabled: false });
  });

  it('refreshes once for 20 concurrent calls after expiry and retries each of them', async () => {
    const { client, counter, storage } = makeClient();
    const { userInfo } = await client.register({ username: uniqueName('cli'), password: GOOD_PASSWORD });
    const before = await storage.get(KEY);
    await expireAccessTokens(client);

    const responses = await Promise.all(Array.from({ length: 20 }, () => client.fetch(`${API}/users/me`)));

    expect(responses.map((res) => res.status)).toEqual(Array(20).fill(200));
    const bodies = await Promise.all(responses.map((res) => res.json() as Promise<{ data: { id: number } }>));
    expect(new Set(bodies.map((body) => body.data.id))).toEqual(new Set([userInfo.id]));
    expect(counter.refreshes).toBe(1);
    expect(await rotations(userInfo.id)).toBe(1);
    expect(await storage.get(KEY)).not.toBe(before);
  });

  it('restores a session from the stored refresh token after a reload', async () => {
    const storage = memoryStorage();
    const first = makeClient({ storage });
    await first.client.login({ username: (await registerUser(first.client)).username, password: GOOD_PASSWORD });
    const reloaded = makeClient({ storage });

    expect(await reloaded.client.hasSession()).toBe(true);
    const res = await reloaded.client.fetch(`${API}/users/me`);

    expect(res.status).toBe(200);
    expect(reloaded.counter.refreshes).toBe(1);
  });

  it('lets two tabs sharing storage, a lock and a channel refresh once between them', async () => {
    const storage = memoryStorage();
    const locks = processLock();
    const channelName = uniqueName('channel');
    const tabA = makeClient({ storage, locks, channel: new BroadcastChannel(channelName) });
    const tabB = makeClient({ storage, locks, channel: new BroadcastChannel(channelName) });
    const { userInfo } = await registerUser(tabA.client);
    expect((await tabB.client.fetch(`${API}/users/me`)).status).toBe(200);
    await expireAccessTokens(tabA.client, tabB.client);
    const rotationsBefore = await rotations(userInfo.id);
    const refreshesBefore = tabA.counter.refreshes + tabB.counter.refreshes;

    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => tabA.client.fetch(`${API}/users/me`)),
      ...Array.from({ length: 5 }, () => tabB.client.fetch(`${API}/users/me`)),
    ]);

    expect(answers.map((res) => res.status)).toEqual(Array(10).fill(200));
    expect(tabA.counter.refreshes + tabB.counter.refreshes - refreshesBefore).toBe(1);
    expect(await rotations(userInfo.id)).toBe(rotationsBefore + 1);
  });

  it.each([
    ['a current tab, whose message names the token it rotated', 'current'],
    ['an older tab, whose message does not', 'older'],
  ] as const)(
    'refreshes once between two tabs when one hears the other rotate before its storage shows it (%s)',
    async (_label, peer) => {
      const shared = memoryStorage();
      const view = laggingView(shared);
      const locks = processLock();
      const channelName = uniqueName('channel');
      const tabA = makeClient({ storage: view.storage, locks, channel: new BroadcastChannel(channelName) });
      const { userInfo } = await registerUser(tabA.client);
      view.lagFrom(await shared.get(KEY));
      const heard = nextTokensMessage(channelName);
      // The other tab restores its session from storage: it spends the stored token and tells the origin.
      const tabB = makeClient({
        storage: shared,
        locks,
        channel: peer === 'current' ? new BroadcastChannel(channelName) : null,
      });
      expect((await tabB.client.fetch(`${API}/users/me`)).status).toBe(200);
      if (peer === 'older') {
        // A tab still running an earlier build of the client announces the pair without naming what it replaced.
        const older = new BroadcastChannel(channelName);
        older.postMessage({
          type: 'tokens',
          access_token: (tabB.client as unknown as { accessToken: string }).accessToken,
          refresh_token: await shared.get(KEY),
          expires_at: Date.now() + ACCESS_TTL_S * 1000,
        });
        older.close();
      }
      await heard;
      view.lagging = false;
      await expireAccessTokens(tabB.client);
      const rotationsBefore = await rotations(userInfo.id);
      const refreshesBefore = tabA.counter.refreshes + tabB.counter.refreshes;

      const answers = await Promise.all([
        tabA.client.fetch(`${API}/users/me`),
        ...(peer === 'current' ? [tabB.client.fetch(`${API}/users/me`)] : []),
      ]);

      expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
      expect(tabA.counter.refreshes + tabB.counter.refreshes - refreshesBefore).toBe(1);
      expect(await rotations(userInfo.id)).toBe(rotationsBefore + 1);
      expect(tabA.expired).toEqual([]);
    },
  );

  it('refreshes once when a tab is granted the lock before it hears the pair its last holder rotated', async () => {
    const shared = memoryStorage();
    const viewB = laggingView(shared);
    const locks = processLock();
    const channelName = uniqueName('channel');
    const tabA = makeClient({ storage: shared, locks, channel: new BroadcastChannel(channelName) });
    const { userInfo } = await registerUser(tabA.client);
    const tabB = makeClient({ storage: viewB.storage, locks, channel: lateChannel(channelName, 1_000) });
    const heard = nextTokensMessage(channelName);
    expect((await tabB.client.fetch(`${API}/users/me`)).status).toBe(200);
    await heard;
    await expireAccessTokens(tabA.client, tabB.client);
    // Tab B's localStorage still shows the token tab A is about to rotate, and tab A's messages reach it late.
    viewB.lagFrom(await shared.get(KEY));
    const rotationsBefore = await rotations(userInfo.id);
    const refreshesBefore = tabA.counter.refreshes + tabB.counter.refreshes;

    const refreshesOfA = tabA.counter.refreshes;
    const first = tabA.client.fetch(`${API}/users/me`);
    // Tab B's call starts once tab A holds the lock and is spending the token.
    await vi.waitFor(() => expect(tabA.counter.refreshes).toBe(refreshesOfA + 1), { interval: 5 });
    const second = tabB.client.fetch(`${API}/users/me`);
    const answers = await Promise.all([first, second]);

    expect(answers.map((res) => res.status)).toEqual([200, 200]);
    expect(tabA.counter.refreshes + tabB.counter.refreshes - refreshesBefore).toBe(1);
    expect(await rotations(userInfo.id)).toBe(rotationsBefore + 1);
    expect([...tabA.expired, ...tabB.expired]).toEqual([]);
  });

  it('calls onSessionExpired once and forgets the session when it is revoked elsewhere', async () => {
    const { client, expired, storage } = makeClient();
    await registerUser(client);
    const logout = await fetch(`${baseUrl}${API}/auth/logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: await storage.get(KEY) }),
    });
    expect(logout.status).toBe(200);

    const answers = await Promise.all(Array.from({ length: 5 }, () => client.fetch(`${API}/users/me`)));

    expect(answers.map((res) => res.status)).toEqual(Array(5).fill(401));
    expect(expired).toEqual(['TOKEN_REVOKED']);
    expect(await storage.get(KEY)).toBeNull();
    expect(await client.hasSession()).toBe(false);
    await expect(client.me()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(expired).toHaveLength(1);
  });

  it('ends the session with REFRESH_TOKEN_REUSED when a stolen refresh token was replayed', async () => {
    const { client, expired, storage } = makeClient();
    await registerUser(client);
    const stolen = await storage.get(KEY);
    expect(await client.refresh()).toBe(true);
    // Past REFRESH_REUSE_GRACE: the replay is theft, not a race (RFC 9700 §4.14.2).
    t.clock.advance((REFRESH_REUSE_GRACE_S + 1) * 1000);
    const replay = await fetch(`${baseUrl}${API}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: stolen }),
    });
    expect(((await replay.json()) as { error: string }).error).toBe('REFRESH_TOKEN_REUSED');

    expect(await client.refresh()).toBe(false);

    expect(expired).toHaveLength(1);
    expect(['TOKEN_REVOKED', 'REFRESH_TOKEN_REUSED']).toContain(expired[0]);
    expect(await storage.get(KEY)).toBeNull();
  });

  it('keeps the session when a refresh fails on the network, and refreshes on the next call', async () => {
    const { client, counter, expired, storage } = makeClient();
    await registerUser(client);
    await expireAccessTokens(client);
    counter.failNextRefresh = true;

    await expect(client.fetch(`${API}/users/me`)).rejects.toThrow('fetch failed');
    expect(await storage.get(KEY)).not.toBeNull();
    expect((await client.fetch(`${API}/users/me`)).status).toBe(200);
    expect(expired).toEqual([]);
  });

  it('logs out: the server session ends, storage is cleared, and no expiry callback fires', async () => {
    const { client, expired, storage } = makeClient();
    await registerUser(client);
    const refreshToken = await storage.get(KEY);

    await client.logout();

    expect(await storage.get(KEY)).toBeNull();
    const replay = await fetch(`${baseUrl}${API}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken }),
    });
    expect(replay.status).toBe(401);
    expect(expired).toEqual([]);
  });

  it('surfaces the server error code and field messages as a GatehouseError', async () => {
    const { client } = makeClient();
    const error = await client.register({ username: 'x', password: GOOD_PASSWORD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((error as GatehouseError).errors.map((e) => e.field)).toContain('username');
    await expect(client.login({ username: uniqueName(), password: 'Wrong-Pass-1' })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
  });

  it('completes a TOTP login: enrol, get a challenge at login, verify with a code', async () => {
    const { client, storage } = makeClient();
    const { username } = await registerUser(client);
    const setup = await client.totpSetup();
    expect(setup.qr_code).toMatch(/^data:image\/png;base64,/);
    const { recovery_codes } = await client.totpEnable(GOOD_PASSWORD, await totpCode(setup.secret, t.clock));
    expect(recovery_codes).toHaveLength(10);
    await client.logout();

    const challenge = await client.login({ username, password: GOOD_PASSWORD });
    expect(challenge).toEqual({
      mfa_required: true,
      mfa_token: expect.any(String),
      mfa_expires_in: expect.any(Number),
    });
    expect(await storage.get(KEY)).toBeNull();
    if (!challenge.mfa_required) {
      throw new Error('expected an MFA challenge');
    }
    await expect(client.verifyMfa({ mfa_token: challenge.mfa_token, code: '000000' })).rejects.toMatchObject({
      code: 'MFA_INVALID',
    });
    // A code is accepted once per time step (RFC 6238 §5.2): the login's code is the next step's.
    t.clock.advance(TOTP_PERIOD * 1000);
    const session = await client.verifyMfa({
      mfa_token: challenge.mfa_token,
      code: await totpCode(setup.secret, t.clock),
    });

    expect(session.mfa_required).toBe(false);
    expect(await client.me()).toMatchObject({ username, mfa_enabled: true });

    // Spent or lost recovery codes are replaced; the old ones stop working.
    t.clock.advance(TOTP_PERIOD * 1000);
    const renewed = await client.regenerateRecoveryCodes(GOOD_PASSWORD, await totpCode(setup.secret, t.clock));
    expect(renewed.recovery_codes).toHaveLength(10);
    await client.logout();
    const again = await client.login({ username, password: GOOD_PASSWORD });
    if (!again.mfa_required) {
      throw new Error('expected an MFA challenge');
    }
    await expect(
      client.verifyMfa({ mfa_token: again.mfa_token, recovery_code: recovery_codes[0] }),
    ).rejects.toMatchObject({ code: 'MFA_INVALID' });
    const viaNew = await client.verifyMfa({ mfa_token: again.mfa_token, recovery_code: renewed.recovery_codes[0] });
    expect(viaNew.mfa_required).toBe(false);
  });

  it('changes the password: this session stays, the others end, the new password logs in', async () => {
    const phone = makeClient();
    const laptop = makeClient();
    const { username } = await registerUser(phone.client);
    await laptop.client.login({ username, password: GOOD_PASSWORD });
    const newPassword = 'Green-Teapot-77';

    const wrong = await phone.client.changePassword('not-the-password', newPassword).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(GatehouseError);
    expect(wrong).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(await phone.client.sessions()).toHaveLength(2);

    await phone.client.changePassword(GOOD_PASSWORD, newPassword);
    expect(await phone.client.me()).toMatchObject({ username });
    expect(await phone.client.sessions()).toHaveLength(1);
    expect((await laptop.client.fetch(`${API}/users/me`)).status).toBe(401);
    expect(laptop.expired).toEqual(['TOKEN_REVOKED']);

    const fresh = makeClient();
    await expect(fresh.client.login({ username, password: GOOD_PASSWORD })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    expect(await fresh.client.login({ username, password: newPassword })).toMatchObject({ mfa_required: false });
  });

  it('reads the login history newest first, page by page', async () => {
    const { client } = makeClient({ headers: { 'X-Device-Id': 'client-history-1' } });
    const { username } = await registerUser(client);
    const other = makeClient();
    await expect(other.client.login({ username, password: 'wrong-password-1' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    await other.client.login({ username, password: GOOD_PASSWORD });

    const all = await client.events();
    expect(all.page).toBe(1);
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((e) => e.type)).toEqual(expect.arrayContaining(['login_failure', 'login_success']));
    const times = all.items.map((e) => Date.parse(e.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(JSON.stringify(all)).not.toContain(GOOD_PASSWORD);

    const second = await client.events({ page: 2, pageSize: 1 });
    expect(second).toMatchObject({ page: 2, page_size: 1, total: all.total });
    expect(second.items).toEqual([all.items[1]]);
    await expect(client.events({ pageSize: 1000 })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('lists the sessions and revokes another one', async () => {
    const storage: TokenStorage = memoryStorage();
    const phone = makeClient();
    const laptop = makeClient({ storage, headers: { 'X-Device-Name': 'Laptop' } });
    const { username } = await registerUser(phone.client);
    await laptop.client.login({ username, password: GOOD_PASSWORD });

    const sessions = await phone.client.sessions();
    const other = sessions.find((s) => !s.current);
    expect(sessions).toHaveLength(2);
    expect(other?.device_name).toBe('Laptop');
    await phone.client.revokeSession(other!.id);

    expect((await laptop.client.fetch(`${API}/users/me`)).status).toBe(401);
    expect(laptop.expired).toEqual(['TOKEN_REVOKED']);
    expect(await phone.client.sessions()).toHaveLength(1);
  });
});

async function registerUser(client: AuthClient) {
  const username = uniqueName('cli');
  const session = await client.register({ username, password: GOOD_PASSWORD });
  return { username, ...session };
}
