/** SPEC §3 `GET /users/me`. Never the hash. */
export class UserProfileDto {
  id: number;
  username: string;
  name: string;
  /** E.164, or null. */
  phone: string | null;
  role: string;
  mfa_enabled: boolean;
  /** ISO 8601. */
  created_at: string;
}
