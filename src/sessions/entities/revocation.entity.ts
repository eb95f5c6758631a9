import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/database/columns.js';

/**
 * One revoked session, appended when it is revoked. Instances poll by `id`,
 * which the database assigns in order, so no instance's clock decides what
 * the others see (SPEC §5).
 */
@Entity('revocations')
@Index('IDX_revocations_keep_until', ['keepUntil'])
export class Revocation {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId: string;

  /** The revoking instance's clock: for people reading the table, never compared across instances. */
  @EpochMsColumn({ name: 'revoked_at' })
  revokedAt: number;

  /** After this, every access token of the session has expired and the row no longer matters. */
  @EpochMsColumn({ name: 'keep_until' })
  keepUntil: number;
}
