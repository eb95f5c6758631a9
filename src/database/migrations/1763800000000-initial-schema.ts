import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

const id = (name: string): TableColumnOptions => ({
  name,
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
const uuid = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  ...extra,
});
const text = (name: string, length: number, nullable = true): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const epochMs = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable: nullable,
});

/**
 * Users, sessions, refresh-token history and audit events. Written with the
 * QueryRunner table API so that one migration runs on SQLite and MySQL alike.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id('id'),
          text('username', 50, false),
          text('username_normalized', 50, false),
          text('phone', 20),
          text('name', 50, false),
          text('password_hash', 255, false),
          { name: 'role', type: 'varchar', length: '20', default: "'user'" },
          { name: 'disabled', type: 'boolean', default: false },
          epochMs('created_at'),
          epochMs('updated_at'),
        ],
        indices: [
          // SPEC §4: the database itself refuses a second `Admin` next to `admin`, and a second phone.
          new TableIndex({
            name: 'UQ_users_username_normalized',
            columnNames: ['username_normalized'],
            isUnique: true,
          }),
          new TableIndex({ name: 'UQ_users_phone', columnNames: ['phone'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          uuid('id', { isPrimary: true }),
          { name: 'user_id', type: 'integer' },
          uuid('refresh_jti'),
          epochMs('refresh_issued_at'),
          text('device_id', 128),
          text('device_name', 100),
          text('user_agent', 255),
          text('ip', 45),
          epochMs('created_at'),
          epochMs('last_used_at'),
          epochMs('expires_at'),
          epochMs('revoked_at', true),
          text('revoke_reason', 32),
        ],
        indices: [
          new TableIndex({ name: 'IDX_sessions_user_id', columnNames: ['user_id'] }),
          // The revocation poller reads "revoked since t" twice a second.
          new TableIndex({ name: 'IDX_sessions_revoked_at', columnNames: ['revoked_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_sessions_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          uuid('jti', { isPrimary: true }),
          uuid('session_id'),
          epochMs('issued_at'),
          epochMs('rotated_at', true),
        ],
        indices: [new TableIndex({ name: 'IDX_refresh_tokens_session_id', columnNames: ['session_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_refresh_tokens_session',
            columnNames: ['session_id'],
            referencedTableName: 'sessions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          id('id'),
          text('type', 40, false),
          { name: 'user_id', type: 'integer', isNullable: true },
          text('identifier', 100),
          text('ip', 45),
          text('user_agent', 255),
          text('device_id', 128),
          uuid('session_id', { isNullable: true }),
          text('reason', 100),
          epochMs('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_audit_events_user_id_created_at', columnNames: ['user_id', 'created_at'] }),
          new TableIndex({ name: 'IDX_audit_events_type_created_at', columnNames: ['type', 'created_at'] }),
          new TableIndex({ name: 'IDX_audit_events_created_at', columnNames: ['created_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
    await queryRunner.dropTable('refresh_tokens');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
