import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/database/columns.js';

/** SPEC §8. Never a password or a token: only who, what, where and why. */
@Entity('audit_events')
@Index('IDX_audit_events_user_id_created_at', ['userId', 'createdAt'])
@Index('IDX_audit_events_type_created_at', ['type', 'createdAt'])
@Index('IDX_audit_events_created_at', ['createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  /** The username or phone that was tried, as typed (trimmed, at most 100 characters). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  identifier: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent: string | null;

  @Column({ name: 'device_id', type: 'varchar', length: 128, nullable: true })
  deviceId: string | null;

  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  reason: string | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;
}
