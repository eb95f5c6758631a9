/** A user as an admin sees them. Never the password hash or the TOTP secret. */
export class AdminUserViewDto {
  id: number;
  username: string;
  name: string;
  phone: string | null;
  role: string;
  disabled: boolean;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601. */
  updated_at: string;
}
