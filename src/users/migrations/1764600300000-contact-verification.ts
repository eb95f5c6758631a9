import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * An optional email beside the phone, and whether each contact was proven by a code (SPEC §4, §12).
 * `email_normalized` carries the unique index so `Ann@x.io` and `ann@x.io` are one address, as with usernames.
 */
export class ContactVerification1764600300000 implements MigrationInterface {
  name = 'ContactVerification1764600300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'email', type: 'varchar', length: '254', isNullable: true }),
      new TableColumn({ name: 'email_normalized', type: 'varchar', length: '254', isNullable: true }),
      // 0, not false: SQLite would keep the text `false`, where TypeORM reads the entity's default as 0.
      new TableColumn({ name: 'phone_verified', type: 'boolean', default: 0 }),
      new TableColumn({ name: 'email_verified', type: 'boolean', default: 0 }),
    ]);
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'UQ_users_email_normalized', columnNames: ['email_normalized'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'UQ_users_email_normalized');
    for (const column of ['email_verified', 'phone_verified', 'email_normalized', 'email']) {
      await queryRunner.dropColumn('users', column);
    }
  }
}
