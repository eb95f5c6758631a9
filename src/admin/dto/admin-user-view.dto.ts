import { UserProfileDto } from '#src/platform/index.js';

/** A user as an admin sees them: the profile plus account state. Never the password hash or the TOTP secret. */
export class AdminUserViewDto extends UserProfileDto {
  disabled: boolean;
  /** ISO 8601. */
  updated_at: string;
}
