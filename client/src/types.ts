/*
 * The client's names for the server's shapes. Every server shape here is an alias of the types generated from the
 * OpenAPI document into `openapi.ts` (`npm run client:types`; a test fails when that file is stale), so a changed
 * DTO changes these types too; the client-only types below are built from those pieces where they can be.
 * Edit this file, not `openapi.ts`, to name another server shape.
 */
import type { components, operations } from './openapi.js';

type Schemas = components['schemas'];
/** `T` with the properties `K` only, all required: one arm of a body whose fields are alternatives. */
type Fields<T, K extends keyof T> = { [P in K]-?: Exclude<T[P], undefined> };

/** `userInfo` in every login answer. */
export type UserInfo = Schemas['UserInfoDto'];

/** The server's login `data` (register, login, MFA verify, refresh). Stays inside the client. */
export type LoginData = Schemas['LoginResponseDto'];

/** What `login`, `register` and `verifyMfa` resolve to once tokens are held. Tokens are not exposed. */
export interface AuthSession extends Pick<LoginData, 'userInfo' | 'expires_in' | 'refresh_expires_in'> {
  mfa_required: false;
}

/** The login answer when TOTP is on: pass `mfa_token` and a code to `verifyMfa`. */
export type MfaChallenge = Schemas['MfaChallengeDto'];

export type LoginResult = AuthSession | MfaChallenge;

/** `POST /auth/login`: a username, phone or email, with the password. */
export type LoginCredentials =
  | Fields<Schemas['LoginDto'], 'username' | 'password'>
  | Fields<Schemas['LoginDto'], 'phone' | 'password'>
  | Fields<Schemas['LoginDto'], 'email' | 'password'>;

/** `POST /auth/register`. */
export type RegisterInput = Schemas['RegisterDto'];

/** `POST /auth/mfa/verify`: a TOTP code or a recovery code. */
export type MfaVerifyInput =
  | Fields<Schemas['MfaVerifyDto'], 'mfa_token' | 'code'>
  | Fields<Schemas['MfaVerifyDto'], 'mfa_token' | 'recovery_code'>;

/** `GET /users/me`. */
export type UserProfile = Schemas['UserProfileDto'];

/** One entry of `GET /auth/sessions`. */
export type SessionInfo = Schemas['SessionDto'];

/** One entry of the caller's login history, `GET /auth/events`. Never a password or a token. */
export type LoginEvent = Schemas['LoginEventDto'];

/** One page of `GET /auth/events`, newest first. */
export type LoginHistoryPage = Schemas['LoginHistoryPageDto'];

/** `POST /auth/mfa/totp/setup`. */
export type TotpSetup = Schemas['TotpSetupDto'];

/**
 * One field-level validation message from a 400 answer (SPEC §3, §14). `field`, `rule` and `params` never change
 * with the language, so a client can key its own wording on `rule`; `message` is in the request's language.
 */
export type FieldError = NonNullable<Schemas['ErrorEnvelope']['errors']>[number];

/** The error codes `POST /auth/refresh` documents for 401. */
type RefreshRefusal = NonNullable<
  operations['AuthController_refresh']['responses'][401]['content']['application/json']['error']
>;

/**
 * Why the client dropped its session: the server's error code, or what happened in another tab. The server's codes
 * are picked from those the refresh route documents, so one it stops sending drops out here too.
 */
export type SessionEndReason =
  | Extract<
      RefreshRefusal,
      'TOKEN_REVOKED' | 'REFRESH_TOKEN_REUSED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'UNAUTHORIZED'
    >
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

type RequestCode = Schemas['RequestCodeDto'];
type Purpose<P extends RequestCode['purpose']> = { purpose: P };

/** `POST /auth/codes`: a login code goes by SMS; a reset code by SMS or email. */
export type CodeRequest =
  | (Purpose<'login'> & Fields<RequestCode, 'phone'>)
  | (Purpose<'reset_password'> & Fields<RequestCode, 'phone'>)
  | (Purpose<'reset_password'> & Fields<RequestCode, 'email'>);

/** The same answer whether or not an account holds the destination; both in seconds. */
export type CodeSent = Schemas['CodeSentDto'];

/** `POST /auth/password/reset`: the code sent to a phone or an email, and the new password. */
export type PasswordResetInput = (
  Fields<Schemas['ResetPasswordDto'], 'phone'> | Fields<Schemas['ResetPasswordDto'], 'email'>
) &
  Fields<Schemas['ResetPasswordDto'], 'code' | 'new_password'>;
