/** `userInfo` in every login answer. */
export interface UserInfo {
  id: number;
  name: string;
  role: string;
}

/** The server's login `data` (register, login, MFA verify, refresh). Stays inside the client. */
export interface LoginData {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_expires_in: number;
  userInfo: UserInfo;
}

/** What `login`, `register` and `verifyMfa` resolve to once tokens are held. Tokens are not exposed. */
export interface AuthSession {
  mfa_required: false;
  userInfo: UserInfo;
  /** Seconds until the access token expires (the client refreshes it by itself). */
  expires_in: number;
  /** Seconds until the refresh token expires unless it is used. */
  refresh_expires_in: number;
}

/** The login answer when TOTP is on: pass `mfa_token` and a code to `verifyMfa`. */
export interface MfaChallenge {
  mfa_required: true;
  mfa_token: string;
  mfa_expires_in: number;
}

export type LoginResult = AuthSession | MfaChallenge;

export type LoginCredentials =
  { username: string; password: string } | { phone: string; password: string } | { email: string; password: string };

export interface RegisterInput {
  username: string;
  password: string;
  phone?: string;
  email?: string;
  name?: string;
}

export type MfaVerifyInput = { mfa_token: string; code: string } | { mfa_token: string; recovery_code: string };

/** `GET /users/me`. */
export interface UserProfile {
  id: number;
  username: string;
  name: string;
  phone: string | null;
  phone_verified: boolean;
  email: string | null;
  email_verified: boolean;
  role: string;
  mfa_enabled: boolean;
  created_at: string;
}

/** One entry of `GET /auth/sessions`. */
export interface SessionInfo {
  id: string;
  device_id: string | null;
  device_name: string | null;
  user_agent: string | null;
  ip: string | null;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  current: boolean;
}

/** One entry of the caller's login history, `GET /auth/events`. Never a password or a token. */
export interface LoginEvent {
  /** `login_success`, `login_failure`, `new_device`, `logout`, `password_change`, … */
  type: string;
  ip: string | null;
  user_agent: string | null;
  device_id: string | null;
  reason: string | null;
  /** ISO 8601. */
  created_at: string;
}

/** One page of `GET /auth/events`, newest first. */
export interface LoginHistoryPage {
  items: LoginEvent[];
  page: number;
  page_size: number;
  /** Events in the whole history. */
  total: number;
}

/** `POST /auth/mfa/totp/setup`. */
export interface TotpSetup {
  secret: string;
  otpauth_url: string;
  /** `data:image/png;base64,…` */
  qr_code: string;
}

/**
 * One field-level validation message from a 400 answer (SPEC §3, §14). `field`, `rule` and `params` never change
 * with the language, so a client can key its own wording on `rule`; `message` is in the request's language.
 */
export interface FieldError {
  field: string;
  /** A stable rule code: `required`, `min_length`, `common_password`, … (SPEC §14). */
  rule: string;
  /** What the rule needs to be worded, e.g. `{ min: 3 }` for `min_length`. */
  params: Record<string, string | number | string[]>;
  message: string;
}

/** Why the client dropped its session: the server's error code, or what happened in another tab. */
export type SessionEndReason =
  | 'TOKEN_REVOKED'
  | 'REFRESH_TOKEN_REUSED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'UNAUTHORIZED'
  | 'REFRESH_FAILED'
  | 'LOGGED_OUT_ELSEWHERE';

/**
 * Where the refresh token lives. Every method may be async so that platform key
 * stores (iOS Keychain, Android Keystore) fit; see client/README.md.
 */
export interface TokenStorage {
  get(key: string): Promise<string | null> | string | null;
  set(key: string, value: string): Promise<void> | void;
  remove(key: string): Promise<void> | void;
}

/** The slice of the Web Locks API the client uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The slice of `BroadcastChannel` the client uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** `POST /auth/codes`: a login code goes by SMS; a reset code by SMS or email. */
export type CodeRequest =
  | { purpose: 'login'; phone: string }
  | { purpose: 'reset_password'; phone: string }
  | { purpose: 'reset_password'; email: string };

/** The same answer whether or not an account holds the destination; both in seconds. */
export interface CodeSent {
  resend_after: number;
  expires_in: number;
}

export type PasswordResetInput = ({ phone: string } | { email: string }) & { code: string; new_password: string };
