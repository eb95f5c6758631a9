/** A subscription as the admin API shows it: never its secret, which is shown once. */
export class WebhookViewDto {
  id: number;
  url: string;
  /** Audit event types, or `["*"]`. */
  events: string[];
  description: string | null;
  enabled: boolean;
  /** Why it was disabled (e.g. `receiver answered 410 Gone`); null while enabled or when an admin disabled it. */
  disabled_reason: string | null;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601. */
  updated_at: string;
}

/** The answer to creation: the subscription and its secret, shown this once. */
export class CreatedWebhookDto extends WebhookViewDto {
  /** `whsec_…`: verify signatures with it (Standard Webhooks). It is not shown again. */
  secret: string;
}

/** The new secret, shown once; the old one keeps signing beside it for 24 hours. */
export class RotatedSecretDto {
  /** `whsec_…` */
  secret: string;
  /** ISO 8601: when the previous secret stops signing. */
  previous_secret_expires_at: string;
}

/** The delivery queued by a test-send or a redelivery. */
export class QueuedDeliveryDto {
  delivery_id: number;
  /** The `webhook-id` the receiver will see. */
  event_id: string;
  event_type: string;
}

/** One attempt of one delivery (SPEC §16 delivery log). */
export class WebhookAttemptViewDto {
  id: number;
  delivery_id: number;
  /** The `webhook-id`, the same on every attempt of a delivery. */
  event_id: string;
  event_type: string;
  /** 1 for the first POST of the delivery. */
  attempt: number;
  /** `pending`, `delivered` or `failed`: where the delivery stands now. */
  delivery_status: string;
  /** The receiver's HTTP status; null when none came. */
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  /** ISO 8601: when the next try is due; null after a success or the last try. */
  next_attempt_at: string | null;
  /** ISO 8601. */
  created_at: string;
}
