import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** Issue 22: a `verify_phone`/`verify_email` code is bound to the account that asked for it (SPEC §12). */
export class CodeOwner1765150200000 implements MigrationInterface {
  name = 'CodeOwner1765150200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'verification_codes',
      new TableColumn({ name: 'user_id', type: 'integer', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('verification_codes', 'user_id');
  }
}
