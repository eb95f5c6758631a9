/** `GET /users/me`. Never the hash. */
export class UserProfileDto {
  id: number;
  username: string;
  name: string;
  /** E.164, or null. */
  phone: string | null;
  /** Whether a code sent to `phone` proved it. */
  phone_verified: boolean;
  /** As typed, or null. */
  email: string | null;
  /** Whether a code sent to `email` proved it. */
  email_verified: boolean;
  role: string;
  mfa_enabled: boolean;
  /** False for an account without a usable password (a code sign-up, a reclaimed account): a reset sets one. */
  has_password: boolean;
  /** ISO 8601. */
  created_at: string;
}
