import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

const userFk = (table: string) =>
  new TableForeignKey({
    name: `FK_${table}_user`,
    columnNames: ['user_id'],
    referencedTableName: 'users',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/** TOTP columns on users, single-use recovery codes and the state of pending MFA logins. */
export class Mfa1763800200000 implements MigrationInterface {
  name = 'Mfa1763800200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      // AES-256-GCM ciphertext, never the base32 secret (OWASP ASVS V6.4: protect authenticator secrets at rest).
      new TableColumn({ name: 'totp_secret', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'totp_enabled', type: 'boolean', default: false }),
      new TableColumn({ name: 'totp_last_step', type: 'bigint', isNullable: true }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'mfa_recovery_codes',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer' },
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'used_at', type: 'bigint', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IDX_mfa_recovery_codes_user_id_code_hash', columnNames: ['user_id', 'code_hash'] }),
        ],
        foreignKeys: [userFk('mfa_recovery_codes')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mfa_challenges',
        columns: [
          { name: 'jti', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'integer' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'used_at', type: 'bigint', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_mfa_challenges_user_id', columnNames: ['user_id'] })],
        foreignKeys: [userFk('mfa_challenges')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mfa_challenges');
    await queryRunner.dropTable('mfa_recovery_codes');
    await queryRunner.dropColumn('users', 'totp_last_step');
    await queryRunner.dropColumn('users', 'totp_enabled');
    await queryRunner.dropColumn('users', 'totp_secret');
  }
}
