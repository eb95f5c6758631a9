/** An audit event as the API shows it. There is no secret to hide: none is ever stored. */
export class AuditEventViewDto {
  id: number;
  type: string;
  user_id: number | null;
  /** The username or phone that was tried. */
  identifier: string | null;
  ip: string | null;
  user_agent: string | null;
  device_id: string | null;
  session_id: string | null;
  reason: string | null;
  /** ISO 8601. */
  created_at: string;
}
