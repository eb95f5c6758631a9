import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn, User } from '#src/platform/index.js';

/** A provider identity linked to an account (SPEC §15); mirrors migration 1765200000000. */
@Entity('user_identities')
@Index('UQ_user_identities_issuer_subject', ['issuer', 'subject'], { unique: true })
@Index('IDX_user_identities_user_id', ['userId'])
export class UserIdentity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** Null only while the sign-up that claimed this identity creates the account. */
  @ForeignKey(() => User, { name: 'FK_user_identities_user', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  /** The route name: `wechat`, `github` or the OIDC provider's configured name. */
  @Column({ type: 'varchar', length: 40 })
  provider: string;

  /** Who vouches for `subject`: `wechat:unionid`, `wechat:openid:<appid>`, `github`, or the OIDC `iss`. */
  @Column({ type: 'varchar', length: 255 })
  issuer: string;

  /** The provider's stable id: unionid / openid, GitHub's numeric id, OIDC `sub`. Never a login name. */
  @Column({ type: 'varchar', length: 255 })
  subject: string;

  /** The provider's nickname or login, shown in the list only; never used to match an account. */
  @Column({ name: 'display_name', type: 'varchar', length: 100, nullable: true })
  displayName: string | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;
}
