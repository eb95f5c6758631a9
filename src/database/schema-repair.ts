import { type QueryRunner, TableForeignKey } from 'typeorm';

export interface ForeignKeySpec {
  table: string;
  name: string;
  column: string;
  references: string;
}

/**
 * What a module's tables need so that they read back exactly as its entities declare them and
 * `migration:generate` proposes nothing: MySQL/MariaDB report an unspecified ON UPDATE as RESTRICT where TypeORM
 * expects NO ACTION, and SQLite kept a boolean column's default as the text `false` where TypeORM expects `0`.
 */
export interface SchemaRepair {
  foreignKeys: ForeignKeySpec[];
  /** A boolean column of `users` whose SQLite default reads back as text. */
  usersBooleanColumn: string;
}

const foreignKey = (fk: ForeignKeySpec, onUpdate?: string) =>
  new TableForeignKey({
    name: fk.name,
    columnNames: [fk.column],
    referencedTableName: fk.references,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
    onUpdate,
  });

async function setUsersDefault(queryRunner: QueryRunner, column: string, value: number | boolean): Promise<void> {
  const table = await queryRunner.getTable('users');
  const oldColumn = table?.findColumnByName(column);
  if (!oldColumn) {
    throw new Error(`users.${column} is missing`);
  }
  const newColumn = oldColumn.clone();
  newColumn.default = value;
  await queryRunner.changeColumn('users', oldColumn, newColumn);
}

/** Applies (`up`) or undoes (`down`) the repair on whichever database the migration runs. Nothing changes in behaviour. */
export async function repairSchema(queryRunner: QueryRunner, repair: SchemaRepair, direction: 'up' | 'down') {
  if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
    await setUsersDefault(queryRunner, repair.usersBooleanColumn, direction === 'up' ? 0 : false);
    return;
  }
  for (const fk of repair.foreignKeys) {
    await queryRunner.dropForeignKey(fk.table, fk.name);
    await queryRunner.createForeignKey(fk.table, foreignKey(fk, direction === 'up' ? 'NO ACTION' : undefined));
  }
}
