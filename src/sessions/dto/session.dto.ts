/** One of the caller's active sessions (`GET /auth/sessions`). Never a token. */
export class SessionDto {
  /** Session id: the `sid` of its tokens, and what `DELETE /auth/sessions/:id` takes. */
  id: string;
  /** `X-Device-Id` sent at login, or null. */
  device_id: string | null;
  /** `X-Device-Name` sent at login, or null. */
  device_name: string | null;
  /** User agent at login, or null. */
  user_agent: string | null;
  /** Client IP at login. */
  ip: string | null;
  /** ISO 8601: when the session was created (login). */
  created_at: string;
  /** ISO 8601: the last refresh. */
  last_used_at: string;
  /** ISO 8601: when the session ends unless refreshed. */
  expires_at: string;
  /** True on the session of the token making this request. */
  current: boolean;
}
