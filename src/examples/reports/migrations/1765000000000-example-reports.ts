import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The module's own table, found by the data source in this `migrations/` folder; runs on SQLite and MySQL alike. */
export class ExampleReports1765000000000 implements MigrationInterface {
  name = 'ExampleReports1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'example_reports',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'title', type: 'varchar', length: '100' },
          { name: 'created_by', type: 'integer' },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('example_reports');
  }
}
