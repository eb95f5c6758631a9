import { MigrationInterface, QueryRunner, TableForeignKey } from 'typeorm';

const FOREIGN_KEYS = [
  { table: 'mfa_challenges', name: 'FK_mfa_challenges_user', column: 'user_id', references: 'users' },
  { table: 'mfa_recovery_codes', name: 'FK_mfa_recovery_codes_user', column: 'user_id', references: 'users' },
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
 * Makes the MFA tables and columns read back exactly as the entities declare them, so that `migration:generate` proposes
 * nothing: MySQL/MariaDB report an unspecified ON UPDATE as RESTRICT where TypeORM expects NO ACTION, and SQLite
 * kept `users.totp_enabled`'s default as the text `false` where TypeORM expects `0`. Nothing changes in behaviour.
 */
export class MfaSchemaMatchesEntities1764600100000 implements MigrationInterface {
  name = 'MfaSchemaMatchesEntities1764600100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
      await setDefault(queryRunner, 'totp_enabled', 0);
      return;
    }
    for (const fk of FOREIGN_KEYS) {
      await queryRunner.dropForeignKey(fk.table, fk.name);
      await queryRunner.createForeignKey(fk.table, foreignKey(fk, 'NO ACTION'));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
      await setDefault(queryRunner, 'totp_enabled', false);
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
