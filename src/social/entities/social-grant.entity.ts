import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn, User } from '#src/platform/index.js';

export type GrantKind = 'state' | 'link' | 'code';

/** A single-use value of the flows: a `state`, a `link_token`, or a provider code already spent (SPEC §15). */
@Entity('social_grants')
@Index('UQ_social_grants_token_hash', ['tokenHash'], { unique: true })
@Index('IDX_social_grants_expires_at', ['expiresAt'])
export class SocialGrant {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 10 })
  kind: GrantKind;

  /** SHA-256 hex of the value; the value itself is only ever in the client's hands. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar', length: 40 })
  provider: string;

  /** The signed-in account a linking `state` was started by; null for a sign-in. */
  @ForeignKey(() => User, { name: 'FK_social_grants_user', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  /** JSON: the redirect URI, PKCE verifier and nonce of a state; the identity a link token stands for. */
  @Column({ type: 'text' })
  payload: string;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'expires_at' })
  expiresAt: number;
}
