import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn, User } from '#src/platform/index.js';

/** One single-use recovery code, stored only as a keyed hash (see RecoveryCodesService). */
@Entity('mfa_recovery_codes')
@Index('IDX_mfa_recovery_codes_user_id_code_hash', ['userId', 'codeHash'])
export class MfaRecoveryCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => User, { name: 'FK_mfa_recovery_codes_user', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  /** Hex HMAC-SHA-256 of the normalised code, keyed per deployment and bound to the user. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  /** Set once the code has been spent; a used code never works again. */
  @EpochMsColumn({ name: 'used_at', nullable: true })
  usedAt: number | null;
}
