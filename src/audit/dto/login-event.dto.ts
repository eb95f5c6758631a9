/** One event of the caller's own login history. Never a password or token: none is ever stored. */
export class LoginEventDto {
  /** `login_success`, `login_failure`, `new_device`, `logout`, `password_change`, … */
  type: string;
  /** Client IP of the request that caused it. */
  ip: string | null;
  /** User agent of that request. */
  user_agent: string | null;
  /** `X-Device-Id` of that request. */
  device_id: string | null;
  /** Why, for failures and revocations. */
  reason: string | null;
  /** ISO 8601. */
  created_at: string;
}

/** One page of login history, newest first. */
export class LoginHistoryPageDto {
  items: LoginEventDto[];
  page: number;
  page_size: number;
  /** Events in the whole history. */
  total: number;
}
