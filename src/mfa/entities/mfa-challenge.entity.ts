import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { EpochMsColumn, User } from '#src/platform/index.js';

/** The server-side state of one `mfa_token`: single use and a bounded number of guesses. */
@Entity('mfa_challenges')
@Index('IDX_mfa_challenges_user_id', ['userId'])
export class MfaChallenge {
  /** The `jti` of the mfa_token. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  jti: string;

  @ForeignKey(() => User, { name: 'FK_mfa_challenges_user', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  /** Codes tried with this token, right or wrong. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'expires_at' })
  expiresAt: number;

  /** Set when a correct code completed the login; the token is then spent. */
  @EpochMsColumn({ name: 'used_at', nullable: true })
  usedAt: number | null;
}
