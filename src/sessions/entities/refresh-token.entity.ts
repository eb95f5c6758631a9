import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { EpochMsColumn } from '#src/database/columns.js';
import { Session } from '#src/sessions/entities/session.entity.js';

/**
 * Every refresh token a session has had, by `jti` (never the token itself),
 * so a rotated one can be recognised: inside the grace window it is answered
 * with the session's current token, after it the session is revoked (SPEC §5).
 */
@Entity('refresh_tokens')
@Index('IDX_refresh_tokens_session_id', ['sessionId'])
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  jti: string;

  @ForeignKey(() => Session, { name: 'FK_refresh_tokens_session', onDelete: 'CASCADE' })
  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId: string;

  @EpochMsColumn({ name: 'issued_at' })
  issuedAt: number;

  @EpochMsColumn({ name: 'rotated_at', nullable: true })
  rotatedAt: number | null;
}
