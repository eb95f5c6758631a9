import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BuiltInRoles } from '#src/common/role-registry.js';
import { EpochMsColumn } from '#src/database/columns.js';

// Mirrors the migrations, so that `migration:generate` starts from a clean diff.
@Entity('users')
@Index('UQ_users_username_normalized', ['usernameNormalized'], { unique: true })
@Index('UQ_users_phone', ['phone'], { unique: true })
@Index('UQ_users_email_normalized', ['emailNormalized'], { unique: true })
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** As the user typed it (trimmed); shown back to them. */
  @Column({ type: 'varchar', length: 50 })
  username: string;

  /**
   * Lower-cased username behind a unique index: `Admin` and `admin` are one account (SPEC §4). Compared byte for
   * byte: `utf8mb4_bin` on MySQL (migration CanonicalIdentities1765150000000), SQLite's BINARY.
   */
  @Column({ name: 'username_normalized', type: 'varchar', length: 50 })
  usernameNormalized: string;

  /** E.164, unique when present. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  /** True once a code sent to `phone` came back (SPEC §12); password login works either way. */
  @Column({ name: 'phone_verified', type: 'boolean', default: false })
  phoneVerified: boolean;

  /** As the user typed it (trimmed). */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  /** Canonical email (`canonicalEmail`, SPEC §4) behind a unique index, compared byte for byte like the username. */
  @Column({ name: 'email_normalized', type: 'varchar', length: 254, nullable: true })
  emailNormalized: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 20, default: BuiltInRoles.user })
  role: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** The TOTP secret sealed by SecretCipher (`v1.iv.tag.ciphertext`); pending until `totpEnabled`. */
  @Column({ name: 'totp_secret', type: 'varchar', length: 255, nullable: true })
  totpSecret: string | null;

  @Column({ name: 'totp_enabled', type: 'boolean', default: false })
  totpEnabled: boolean;

  /** RFC 6238 §5.2: the last time step accepted, so a code is never accepted twice. */
  @Column({
    name: 'totp_last_step',
    type: 'bigint',
    nullable: true,
    // mysql2 returns BIGINT as a string.
    transformer: {
      to: (v: number | null | undefined) => v,
      from: (v: string | number | null) => (v === null ? null : Number(v)),
    },
  })
  totpLastStep: number | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'updated_at' })
  updatedAt: number;
}
