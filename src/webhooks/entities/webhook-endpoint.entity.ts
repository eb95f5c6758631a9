import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/platform/index.js';

/** A subscription (SPEC §16): where to POST which audit events, and the secrets that sign them. */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** JSON array of audit event types, or `["*"]`. */
  @Column({ type: 'text' })
  events: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Why it was disabled, e.g. the receiver answered 410; null while enabled. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 200, nullable: true })
  disabledReason: string | null;

  /**
   * The `whsec_…` secret sealed by WebhookSecrets (`v1.iv.tag.ciphertext`): HMAC keys must be usable to sign, so
   * they are encrypted rather than hashed, and never shown again after creation or rotation.
   */
  @Column({ type: 'varchar', length: 255 })
  secret: string;

  /** The secret before the last rotation, sealed the same way, still signing until `previousSecretExpiresAt`. */
  @Column({ name: 'previous_secret', type: 'varchar', length: 255, nullable: true })
  previousSecret: string | null;

  @EpochMsColumn({ name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt: number | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'updated_at' })
  updatedAt: number;
}
