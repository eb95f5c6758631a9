import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/platform/index.js';

/** One POST of a delivery and how it went: the delivery log of SPEC §16. */
@Entity('webhook_attempts')
@Index('IDX_webhook_attempts_endpoint_id_id', ['endpointId', 'id'])
@Index('IDX_webhook_attempts_delivery_id', ['deliveryId'])
@Index('IDX_webhook_attempts_created_at', ['createdAt'])
export class WebhookAttempt {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'delivery_id', type: 'integer' })
  deliveryId: number;

  @Column({ name: 'endpoint_id', type: 'integer' })
  endpointId: number;

  /** 1 for the first POST of the delivery, then 2, 3… (a redelivery continues the count). */
  @Column({ type: 'integer' })
  attempt: number;

  /** The receiver's HTTP status; null when none came (timeout, refused connection, address not allowed). */
  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  error: string | null;

  /** When the next try is due; null when this attempt delivered or was the last. */
  @EpochMsColumn({ name: 'next_attempt_at', nullable: true })
  nextAttemptAt: number | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;
}
