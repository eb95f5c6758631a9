import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Revocations as an append-only log whose auto-increment id the database
 * orders, so instances poll "after id N" instead of comparing one instance's
 * clock with another's; each row is kept until the session's last access
 * token has expired (SPEC §5).
 */
export class Revocations1764600200000 implements MigrationInterface {
  name = 'Revocations1764600200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // When the latest access token issued for the session expires; null for sessions from before this column.
    await queryRunner.addColumn(
      'sessions',
      new TableColumn({ name: 'access_expires_at', type: 'bigint', isNullable: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'revocations',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'session_id', type: 'varchar', length: '36' },
          { name: 'revoked_at', type: 'bigint' },
          { name: 'keep_until', type: 'bigint' },
        ],
        // No foreign key: a revocation must outlive a deleted session while its tokens can still be presented.
        indices: [new TableIndex({ name: 'IDX_revocations_keep_until', columnNames: ['keep_until'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('revocations');
    await queryRunner.dropColumn('sessions', 'access_expires_at');
  }
}
