import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { EpochMsColumn } from '#src/database/columns.js';
import { User } from '#src/users/entities/user.entity.js';

/** One login on one device (SPEC §5). Access and refresh tokens carry its id as `sid`. */
@Entity('sessions')
@Index('IDX_sessions_user_id', ['userId'])
@Index('IDX_sessions_revoked_at', ['revokedAt'])
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @ForeignKey(() => User, { name: 'FK_sessions_user', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  /** The `jti` of the only refresh token that may rotate this session now. */
  @Column({ name: 'refresh_jti', type: 'varchar', length: 36 })
  refreshJti: string;

  /** When the current refresh token was issued: its `iat`, so the token can be re-issued identically. */
  @EpochMsColumn({ name: 'refresh_issued_at' })
  refreshIssuedAt: number;

  @Column({ name: 'device_id', type: 'varchar', length: 128, nullable: true })
  deviceId: string | null;

  @Column({ name: 'device_name', type: 'varchar', length: 100, nullable: true })
  deviceName: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'last_used_at' })
  lastUsedAt: number;

  /** The refresh token's `exp`: slides on refresh, never past created_at + SESSION_MAX_AGE. */
  @EpochMsColumn({ name: 'expires_at' })
  expiresAt: number;

  /** When the latest access token issued for this session expires: how long a revocation must be kept. */
  @EpochMsColumn({ name: 'access_expires_at', nullable: true })
  accessExpiresAt: number | null;

  @EpochMsColumn({ name: 'revoked_at', nullable: true })
  revokedAt: number | null;

  @Column({ name: 'revoke_reason', type: 'varchar', length: 32, nullable: true })
  revokeReason: string | null;
}
