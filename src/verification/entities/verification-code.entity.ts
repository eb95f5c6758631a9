import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/platform/index.js';
import type { Channel, Purpose } from '#src/verification/verification.config.js';

/**
 * The live code for one destination and one purpose (SPEC §12). A new code rewrites the row with a budget of its
 * own; the resend caps bound the guesses a day (better-auth#11162). Never the code itself: only its keyed hash.
 */
@Entity('verification_codes')
@Index('UQ_verification_codes_destination_purpose', ['destination', 'purpose'], { unique: true })
export class VerificationCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 10 })
  channel: Channel;

  /** E.164 phone or lower-cased email. */
  @Column({ type: 'varchar', length: 254 })
  destination: string;

  @Column({ type: 'varchar', length: 20 })
  purpose: Purpose;

  /** Hex HMAC-SHA-256 of purpose, destination and code. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  /** The account that asked for the code and alone may redeem it (`verify_*`); null when not bound. */
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  /** Tries spent on this code, the right one included. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When this code's run of tries began: when it was issued. */
  @EpochMsColumn({ name: 'attempts_since' })
  attemptsSince: number;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'expires_at' })
  expiresAt: number;

  @EpochMsColumn({ name: 'consumed_at', nullable: true })
  consumedAt: number | null;
}
