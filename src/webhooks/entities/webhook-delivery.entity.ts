import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/platform/index.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One event for one endpoint: the outbox row, written in the audit row's transaction. Any instance claims a due
 * row by setting `lease_until` with a conditional UPDATE (no SKIP LOCKED: SQLite and MySQL alike).
 */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_status_next_attempt_at', ['status', 'nextAttemptAt'])
@Index('IDX_webhook_deliveries_endpoint_id', ['endpointId'])
@Index('IDX_webhook_deliveries_updated_at', ['updatedAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'endpoint_id', type: 'integer' })
  endpointId: number;

  /** The `webhook-id` header: the same on every attempt and redelivery. */
  @Column({ name: 'event_id', type: 'varchar', length: 40 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType: string;

  /** The exact JSON body sent on every attempt. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 10 })
  status: DeliveryStatus;

  /** Attempts made so far. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @EpochMsColumn({ name: 'next_attempt_at' })
  nextAttemptAt: number;

  /** Until when the claiming instance owns the row; null when nobody does. */
  @EpochMsColumn({ name: 'lease_until', nullable: true })
  leaseUntil: number | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 36, nullable: true })
  leaseOwner: string | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'updated_at' })
  updatedAt: number;
}
