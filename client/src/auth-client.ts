import { errorCodeOf, errorFromResponse, GatehouseError } from './errors.js';
import { memoryStorage } from './storage.js';
import { defaultChannel, defaultLocks, TabSync } from './tab-sync.js';
import type {
  AuthSession,
  ChannelLike,
  CodeRequest,
  CodeSent,
  LockManagerLike,
  LoginCredentials,
  LoginData,
  LoginHistoryPage,
  LoginResult,
  MfaChallenge,
  MfaVerifyInput,
  PasswordResetInput,
  RegisterInput,
  SessionEndReason,
  SessionInfo,
  TokenStorage,
  TotpSetup,
  UserProfile,
} from './types.js';

export interface AuthClientOptions {
  /** The server's root, e.g. `https://auth.example.com`; `''` (default) for the page's own origin. */
  baseUrl?: string;
  /** Default `/api/v1`. */
  apiPrefix?: string;
  /** Where the refresh token is kept; default `memoryStorage()`. The access token never leaves memory. */
  storage?: TokenStorage;
  /** Storage key of the refresh token; default `gatehouse.refresh_token`. */
  storageKey?: string;
  /** Called once when the session ends without `logout()`: revoked, reused refresh token, refresh refused. */
  onSessionExpired?: (reason: SessionEndReason) => void;
  /** A `fetch` to use instead of the global one (tests, instrumentation, React Native polyfills). */
  fetch?: typeof fetch;
  /** Extra headers on every request, e.g. `{ 'X-Device-Name': 'Pixel 9' }`. */
  headers?: Record<string, string>;
  /** Cross-tab lock; default `navigator.locks` when present, `null` to turn off. */
  locks?: LockManagerLike | null;
  /** Cross-tab channel; default a `BroadcastChannel` when present, `null` to turn off. */
  channel?: ChannelLike | null;
  /** Default `gatehouse-refresh`. */
  lockName?: string;
  /** Default `gatehouse-auth`. */
  channelName?: string;
  /** Abort a refresh that hangs longer than this; default 15 000 ms. */
  refreshTimeoutMs?: number;
}

export interface AuthClient {
  /**
   * `fetch` with the bearer token attached. On 401 `TOKEN_EXPIRED` it refreshes once for all
   * concurrent callers and retries each request once; the body must be replayable (not a stream).
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** A JSON call through `fetch`, unwrapping the envelope; throws `GatehouseError` on non-2xx. */
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  register(input: RegisterInput): Promise<AuthSession>;
  /** Either a session, or `{ mfa_required: true, mfa_token }` to complete with `verifyMfa`. */
  login(credentials: LoginCredentials): Promise<LoginResult>;
  verifyMfa(input: MfaVerifyInput): Promise<AuthSession>;
  /** Asks for a verification code (SPEC §12); the answer never says whether the destination is known. */
  requestCode(input: CodeRequest): Promise<CodeSent>;
  /** Logs in with an SMS code: a session, or the MFA challenge when TOTP is on. */
  loginWithCode(phone: string, code: string): Promise<LoginResult>;
  /**
   * POSTs to a login route a module adds (social sign-in, passkeys): tokens in the answer open the session here, an
   * MFA challenge is returned; any other answer (e.g. `link_required`) is returned as it came.
   */
  loginVia<T extends object = never>(path: string, body: unknown): Promise<LoginResult | T>;
  /** Sets a new password with a reset code; every session of the account ends. */
  resetPassword(input: PasswordResetInput): Promise<void>;
  /**
   * Sends a code to prove a phone or email for the signed-in user. Send the account's `password` (asked again,
   * SPEC §3); an account without one leaves it out and needs a login less than REAUTH_WINDOW ago, else the call
   * fails with `REAUTH_REQUIRED` (log in again).
   */
  sendContactCode(contact: ({ phone: string } | { email: string }) & { password?: string }): Promise<CodeSent>;
  /** Proves the contact with its code; answers the updated profile. */
  verifyContact(contact: ({ phone: string } | { email: string }) & { code: string }): Promise<UserProfile>;
  /** Refreshes now (single-flight); false when the session is gone. */
  refresh(): Promise<boolean>;
  /** Ends this session on the server and forgets it here and in the other tabs. */
  logout(): Promise<void>;
  /** Ends every session of the account. */
  logoutAll(): Promise<void>;
  /** True when a session is held in memory or a refresh token is stored. */
  hasSession(): Promise<boolean>;
  me(): Promise<UserProfile>;
  updateMe(name: string): Promise<UserProfile>;
  /**
   * `PUT /users/me/password`. Every other session ends; this one stays. A wrong current password
   * throws `GatehouseError` `INVALID_CREDENTIALS` (401) and keeps the session.
   */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  /** The caller's own login history, newest first; `page` from 1, `pageSize` at most 100. */
  events(options?: { page?: number; pageSize?: number }): Promise<LoginHistoryPage>;
  sessions(): Promise<SessionInfo[]>;
  revokeSession(id: string): Promise<void>;
  totpSetup(): Promise<TotpSetup>;
  /** The password is asked again (ASVS 5.0 V7.5.1), as for `totpDisable`. */
  totpEnable(password: string, code: string): Promise<{ recovery_codes: string[] }>;
  totpDisable(password: string, code: string): Promise<void>;
  /** 10 new recovery codes for the password and a current TOTP code; the old ones stop working. Shown once. */
  regenerateRecoveryCodes(password: string, code: string): Promise<{ recovery_codes: string[] }>;
  /** Stops listening to other tabs. */
  close(): void;
}

/** Session-ending 401 codes on an API call (RFC 9700 §4.14.2 for reuse). */
const DEAD_SESSION_CODES = new Set(['TOKEN_REVOKED', 'REFRESH_TOKEN_REUSED']);
/**
 * How long a tab that finds a token rotated by another tab waits for that tab's message before spending the rotated
 * token itself (a second, harmless rotation). A busy browser (seen under CI load) can take over a second to deliver it.
 */
const PEER_WAIT_MS = 3_000;

export function createAuthClient(options: AuthClientOptions = {}): AuthClient {
  return new GatehouseClient(options);
}

class GatehouseClient implements AuthClient {
  private accessToken: string | null = null;
  /** The refresh token this client last held; tells whether another tab rotated the stored one. */
  private knownRefresh: string | null = null;
  private inflight: Promise<string | null> | null = null;
  private notified = false;
  private readonly storage: TokenStorage;
  private readonly key: string;
  private readonly sync: TabSync;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AuthClientOptions) {
    this.storage = options.storage ?? memoryStorage();
    this.key = options.storageKey ?? 'gatehouse.refresh_token';
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.fetchImpl = (input, init) => fetchImpl(input, init);
    const channel =
      options.channel === undefined ? defaultChannel(options.channelName ?? 'gatehouse-auth') : options.channel;
    const locks = options.locks === undefined ? defaultLocks() : options.locks;
    this.sync = new TabSync(locks, channel, options.lockName ?? 'gatehouse-refresh', {
      onTokens: (access, refresh, replaces) => void this.adoptFromPeer(access, refresh, replaces),
      onLogout: (refresh) => void this.peerLoggedOut(refresh),
    });
  }

  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const token = this.accessToken ?? (await this.restore());
    let used = token;
    let response = await this.send(input, init, token);
    // Two refreshes at most: the second only when the first handed over another tab's token that the server already
    // calls expired (that tab judged it fresh by this device's clock, and the server's runs ahead of it).
    for (let attempt = 0; attempt < 2 && response.status === 401 && used !== null; attempt++) {
      const code = await errorCodeOf(response);
      if (code !== 'TOKEN_EXPIRED') {
        break;
      }
      // Another caller may have refreshed while this request was in flight: reuse its token.
      const fresh =
        this.accessToken !== null && this.accessToken !== used ? this.accessToken : await this.refreshOnce();
      if (fresh === null) {
        return response;
      }
      used = fresh;
      response = await this.send(input, init, fresh);
    }
    if (used !== null) {
      await this.checkDeadSession(await errorCodeOf(response), used);
    }
    return response;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    return this.unwrap<T>(await this.fetch(this.apiUrl(path), init));
  }

  async register(input: RegisterInput): Promise<AuthSession> {
    return this.establish(await this.publicCall<LoginData>('/auth/register', input));
  }

  async login(credentials: LoginCredentials): Promise<LoginResult> {
    const data = await this.publicCall<LoginData | MfaChallenge>('/auth/login', credentials);
    return 'mfa_required' in data && data.mfa_required ? data : this.establish(data as LoginData);
  }

  async verifyMfa(input: MfaVerifyInput): Promise<AuthSession> {
    return this.establish(await this.publicCall<LoginData>('/auth/mfa/verify', input));
  }

  requestCode(input: CodeRequest): Promise<CodeSent> {
    return this.publicCall<CodeSent>('/auth/codes', input);
  }

  async loginWithCode(phone: string, code: string): Promise<LoginResult> {
    const data = await this.publicCall<LoginData | MfaChallenge>('/auth/login/code', { phone, code });
    return 'mfa_required' in data && data.mfa_required ? data : this.establish(data as LoginData);
  }

  async loginVia<T extends object = never>(path: string, body: unknown): Promise<LoginResult | T> {
    const data = await this.publicCall<LoginData | MfaChallenge | T>(path, body);
    return 'access_token' in data ? this.establish(data) : data;
  }

  async resetPassword(input: PasswordResetInput): Promise<void> {
    await this.publicCall<null>('/auth/password/reset', input);
  }

  sendContactCode(contact: ({ phone: string } | { email: string }) & { password?: string }): Promise<CodeSent> {
    return this.request<CodeSent>('POST', 'phone' in contact ? '/users/me/phone' : '/users/me/email', contact);
  }

  verifyContact(contact: ({ phone: string } | { email: string }) & { code: string }): Promise<UserProfile> {
    const path = 'phone' in contact ? '/users/me/phone/verify' : '/users/me/email/verify';
    return this.request<UserProfile>('POST', path, contact);
  }

  async refresh(): Promise<boolean> {
    return (await this.refreshOnce()) !== null;
  }

  async logout(): Promise<void> {
    // The stored token is the shared session's latest even if another tab's rotation has not reached this one.
    const refresh = (await this.storage.get(this.key)) ?? this.knownRefresh;
    const access = this.accessToken;
    await this.forget(refresh);
    if (refresh !== null) {
      // The refresh token names the session even when the access token has expired.
      await this.post('/auth/logout', { refresh_token: refresh }, null).catch(() => undefined);
    } else if (access !== null) {
      await this.post('/auth/logout', {}, access).catch(() => undefined);
    }
  }

  async logoutAll(): Promise<void> {
    await this.request<null>('POST', '/auth/logout-all');
    await this.forget(this.knownRefresh ?? (await this.storage.get(this.key)));
  }

  async hasSession(): Promise<boolean> {
    return this.accessToken !== null || (await this.storage.get(this.key)) !== null;
  }

  me(): Promise<UserProfile> {
    return this.request('GET', '/users/me');
  }

  updateMe(name: string): Promise<UserProfile> {
    return this.request('PATCH', '/users/me', { name });
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.request<null>('PUT', '/users/me/password', {
      current_password: currentPassword,
      new_password: newPassword,
    });
  }

  events({ page, pageSize }: { page?: number; pageSize?: number } = {}): Promise<LoginHistoryPage> {
    const query = new URLSearchParams();
    if (page !== undefined) {
      query.set('page', String(page));
    }
    if (pageSize !== undefined) {
      query.set('page_size', String(pageSize));
    }
    const search = query.toString();
    return this.request('GET', search === '' ? '/auth/events' : `/auth/events?${search}`);
  }

  sessions(): Promise<SessionInfo[]> {
    return this.request('GET', '/auth/sessions');
  }

  async revokeSession(id: string): Promise<void> {
    await this.request<null>('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
  }

  totpSetup(): Promise<TotpSetup> {
    return this.request('POST', '/auth/mfa/totp/setup');
  }

  totpEnable(password: string, code: string): Promise<{ recovery_codes: string[] }> {
    return this.request('POST', '/auth/mfa/totp/enable', { password, code });
  }

  async totpDisable(password: string, code: string): Promise<void> {
    await this.request<null>('POST', '/auth/mfa/totp/disable', { password, code });
  }

  regenerateRecoveryCodes(password: string, code: string): Promise<{ recovery_codes: string[] }> {
    return this.request('POST', '/auth/mfa/recovery-codes', { password, code });
  }

  close(): void {
    this.sync.close();
  }

  private apiUrl(path: string): string {
    return `${this.options.apiPrefix ?? '/api/v1'}${path}`;
  }

  private resolve(input: string | URL): string | URL {
    return typeof input === 'string' && input.startsWith('/') ? `${this.options.baseUrl ?? ''}${input}` : input;
  }

  private send(input: string | URL, init: RequestInit, token: string | null): Promise<Response> {
    const headers = new Headers(this.options.headers);
    new Headers(init.headers).forEach((value, name) => headers.set(name, value));
    if (token !== null && !headers.has('Authorization')) {
      headers.set('Authorization', `Bearer ${token}`);
    }
    return this.fetchImpl(this.resolve(input), { ...init, headers });
  }

  private post(path: string, body: unknown, token: string | null, signal?: AbortSignal): Promise<Response> {
    const init: RequestInit = {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
      signal,
    };
    return this.send(this.apiUrl(path), init, token);
  }

  private async publicCall<T>(path: string, body: unknown): Promise<T> {
    return this.unwrap<T>(await this.post(path, body, null));
  }

  private async unwrap<T>(response: Response): Promise<T> {
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    const envelope = (await response.json()) as { data: T };
    return envelope.data;
  }

  /** `replaces`: the refresh token this answer rotated, so other tabs of the same session know it continues theirs. */
  private async establish(data: LoginData, replaces: string | null = null): Promise<AuthSession> {
    this.accessToken = data.access_token;
    this.knownRefresh = data.refresh_token;
    this.notified = false;
    await this.storage.set(this.key, data.refresh_token);
    this.sync.announceTokens(data.access_token, data.refresh_token, Date.now() + data.expires_in * 1000, replaces);
    const { userInfo, expires_in, refresh_expires_in } = data;
    return { mfa_required: false, userInfo, expires_in, refresh_expires_in };
  }

  /** After a reload only the refresh token survives: trade it for an access token first. */
  private async restore(): Promise<string | null> {
    return (await this.storage.get(this.key)) === null ? null : this.refreshOnce();
  }

  /** Single flight: every concurrent caller in this tab awaits the same refresh. */
  private refreshOnce(): Promise<string | null> {
    this.inflight ??= this.refreshLocked().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private refreshLocked(): Promise<string | null> {
    const before = this.accessToken;
    return this.sync.withLock(async () => {
      if (this.accessToken !== null && this.accessToken !== before) {
        return this.accessToken;
      }
      // Re-read inside the lock: another tab may have rotated the token while this one waited.
      const stored = await this.storage.get(this.key);
      if (stored === null) {
        await this.end('LOGGED_OUT_ELSEWHERE', null, this.accessToken !== null || this.knownRefresh !== null);
        return null;
      }
      const rotatedElsewhere = this.knownRefresh !== null && stored !== this.knownRefresh;
      const peer = await this.sync.peerAccessToken(stored, rotatedElsewhere ? PEER_WAIT_MS : 0);
      if (peer !== null && peer !== before) {
        this.accessToken = peer;
        this.knownRefresh = stored;
        return peer;
      }
      return this.spend(stored);
    }, PEER_WAIT_MS);
  }

  private async spend(refreshToken: string): Promise<string | null> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.refreshTimeoutMs ?? 15_000);
    let response: Response;
    try {
      response = await this.post('/auth/refresh', { refresh_token: refreshToken }, null, controller.signal);
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) {
      const data = ((await response.json()) as { data: LoginData }).data;
      await this.establish(data, refreshToken);
      return data.access_token;
    }
    const error = await errorFromResponse(response);
    if (response.status === 429 || response.status >= 500) {
      // Transient: keep the session and let the caller see the error.
      throw error;
    }
    await this.end(
      DEAD_SESSION_CODES.has(error.code) ? (error.code as SessionEndReason) : 'REFRESH_FAILED',
      refreshToken,
      true,
    );
    return null;
  }

  private async checkDeadSession(code: string | null, usedToken: string): Promise<void> {
    // A stale request must not end a session that replaced the one it was sent with.
    if (code !== null && DEAD_SESSION_CODES.has(code) && this.accessToken === usedToken) {
      await this.end(code as SessionEndReason, this.knownRefresh, true);
    }
  }

  /** Forgets the session here and, when it is still the stored one, for every tab. */
  private async forget(deadRefresh: string | null): Promise<void> {
    this.accessToken = null;
    this.knownRefresh = null;
    const stored = await this.storage.get(this.key);
    if (stored !== null && (deadRefresh === null || stored === deadRefresh)) {
      await this.storage.remove(this.key);
    }
    if (deadRefresh !== null) {
      this.sync.announceLogout(deadRefresh);
    }
  }

  private async end(reason: SessionEndReason, deadRefresh: string | null, hadSession: boolean): Promise<void> {
    await this.forget(deadRefresh);
    if (hadSession && !this.notified) {
      this.notified = true;
      this.options.onSessionExpired?.(reason);
    }
  }

  /**
   * Another tab's fresh pair: this tab's too when it continues this tab's session. The message says which token it
   * rotated; the shared storage is the fallback, and may lag: a browser propagates localStorage writes to other
   * tabs asynchronously, so a tab can hear the message before it reads the new token.
   */
  private async adoptFromPeer(access: string, refresh: string, replaces: string | null): Promise<void> {
    if (this.knownRefresh === null) {
      return;
    }
    if (this.knownRefresh === replaces || (await this.storage.get(this.key)) === refresh) {
      this.accessToken = access;
      this.knownRefresh = refresh;
    }
  }

  /** Another tab logged out: follow it when it was this session, or when this session left the shared storage. */
  private async peerLoggedOut(refresh: string): Promise<void> {
    if (this.knownRefresh === null) {
      return;
    }
    if (this.knownRefresh === refresh || (await this.storage.get(this.key)) === null) {
      this.accessToken = null;
      this.knownRefresh = null;
      if (!this.notified) {
        this.notified = true;
        this.options.onSessionExpired?.('LOGGED_OUT_ELSEWHERE');
      }
    }
  }
}

export { GatehouseError };
