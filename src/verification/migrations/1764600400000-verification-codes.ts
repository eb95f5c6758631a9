import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** One row per destination and purpose: the live code's keyed hash and the tries spent on it (SPEC §12). */
export class VerificationCodes1764600400000 implements MigrationInterface {
  name = 'VerificationCodes1764600400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'verification_codes',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'channel', type: 'varchar', length: '10' },
          { name: 'destination', type: 'varchar', length: '254' },
          { name: 'purpose', type: 'varchar', length: '20' },
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'attempts_since', type: 'bigint' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'consumed_at', type: 'bigint', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'UQ_verification_codes_destination_purpose',
            columnNames: ['destination', 'purpose'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('verification_codes');
  }
}
