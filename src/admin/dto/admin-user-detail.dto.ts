import { AdminUserViewDto } from '#src/admin/dto/admin-user-view.dto.js';
import { SessionDto } from '#src/platform/index.js';

/** A device id the user has logged in from, with when it was first and last seen. */
export class AdminDeviceDto {
  /** `X-Device-Id` sent at login. */
  device_id: string;
  /** The latest `X-Device-Name` sent with it, or null. */
  device_name: string | null;
  /** ISO 8601: the first login from this device. */
  first_seen_at: string;
  /** ISO 8601: the last refresh or login from this device. */
  last_seen_at: string;
}

/** One user as the console's detail page shows them: the admin view, live sessions and known devices. */
export class AdminUserDetailDto extends AdminUserViewDto {
  /** Live sessions (not revoked, not expired), most recently used first; `current` is always false here. */
  sessions: SessionDto[];
  /** Every device id the user has logged in from, most recently seen first. */
  devices: AdminDeviceDto[];
}
