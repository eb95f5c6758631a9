import { MigrationInterface, QueryRunner, TableForeignKey } from 'typeorm';

const FOREIGN_KEYS = [
  { table: 'sessions', name: 'FK_sessions_user', column: 'user_id', references: 'users' },
  { table: 'refresh_tokens', name: 'FK_refresh_tokens_session', column: 'session_id', references: 'sessions' },
];

const foreignKey = (fk: (typeof FOREIGN_KEYS)[number], onUpdate?: string) =>
  new TableForeignKey({
    name: fk.name,
    columnNames: [fk.column],
    referencedTableName: fk.references,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
    onUpdate,
  });

/**
 * Makes the core tables read back exactly as the entities declare them, so that `migration:generate` proposes
 * nothing: MySQL/MariaDB report an unspecified ON UPDATE as RESTRICT where TypeORM expects NO ACTION, and SQLite
 * kept `users.disabled`'s default as the text `false` where TypeORM expects `0`. Nothing changes in behaviour.
 */
export class SchemaMatchesEntities1764600000000 implements MigrationInterface {
  name = 'SchemaMatchesEntities1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
      await setDefault(queryRunner, 'disabled', 0);
      return;
    }
    for (const fk of FOREIGN_KEYS) {
      await queryRunner.dropForeignKey(fk.table, fk.name);
      await queryRunner.createForeignKey(fk.table, foreignKey(fk, 'NO ACTION'));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
      await setDefault(queryRunner, 'disabled', false);
      return;
    }
    for (const fk of FOREIGN_KEYS) {
      await queryRunner.dropForeignKey(fk.table, fk.name);
      await queryRunner.createForeignKey(fk.table, foreignKey(fk));
    }
  }
}

async function setDefault(queryRunner: QueryRunner, column: string, value: number | boolean): Promise<void> {
  const table = await queryRunner.getTable('users');
  const oldColumn = table?.findColumnByName(column);
  if (!oldColumn) {
    throw new Error(`users.${column} is missing`);
  }
  const newColumn = oldColumn.clone();
  newColumn.default = value;
  await queryRunner.changeColumn('users', oldColumn, newColumn);
}
