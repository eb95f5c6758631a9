import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/database/columns.js';

export enum Role {
  User = 'user',
  Admin = 'admin',
}

@Entity('users')
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** As the user typed it (trimmed); shown back to them. */
  @Column({ type: 'varchar', length: 50 })
  username: string;

  /** Lower-cased username behind a unique index: `Admin` and `admin` are one account (SPEC §4). */
  @Column({ name: 'username_normalized', type: 'varchar', length: 50 })
  usernameNormalized: string;

  /** E.164, unique when present. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 20, default: Role.User })
  role: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;

  @EpochMsColumn({ name: 'updated_at' })
  updatedAt: number;
}
