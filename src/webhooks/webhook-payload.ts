import { randomUUID } from 'node:crypto';
import type { RecordedAuditEvent } from '#src/platform/index.js';

/** The `webhook-id` of a new delivery; kept on the row so every retry and redelivery repeats it. */
export const newEventId = () => `msg_${randomUUID().replaceAll('-', '')}`;

/**
 * SPEC §16 body: `{type, timestamp, data}` with the audit fields. The audit row holds no password, token or code
 * (SPEC §8), and only these named fields are copied, so none can slip in.
 */
export function auditPayload(event: RecordedAuditEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: new Date(event.createdAt).toISOString(),
    data: {
      id: event.id,
      user_id: event.userId,
      identifier: event.identifier,
      session_id: event.sessionId,
      reason: event.reason,
      ip: event.ip,
      user_agent: event.userAgent,
      device_id: event.deviceId,
      created_at: new Date(event.createdAt).toISOString(),
    },
  });
}

export function testPayload(type: string, endpointId: number, at: number): string {
  return JSON.stringify({ type, timestamp: new Date(at).toISOString(), data: { endpoint_id: endpointId } });
}
