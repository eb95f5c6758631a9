import type { QueryRunner } from 'typeorm';

export interface TextColumn {
  name: string;
  length: number;
  nullable: boolean;
}

/** The collation the app's connection and test databases use (data-source.ts): `down` goes back to it. */
export const DEFAULT_COLLATION = 'utf8mb4_unicode_ci';
/** Byte-for-byte comparison on MySQL/MariaDB (SPEC §4). */
export const BINARY_COLLATION = 'utf8mb4_bin';

/**
 * Sets the collation of key columns on MySQL/MariaDB; their unique indexes stay and are rebuilt under it. SQLite
 * compares text byte for byte (BINARY) already, so nothing changes there. `_unicode_ci` folds accents and case, so
 * `victim@gmàil.com` = `victim@gmail.com` under it: every lookup of a canonical key must compare bytes (SPEC §4).
 */
export async function setCollation(
  queryRunner: QueryRunner,
  table: string,
  columns: TextColumn[],
  collation: string,
): Promise<void> {
  if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
    return;
  }
  const modify = columns.map(
    (column) =>
      `MODIFY \`${column.name}\` varchar(${column.length}) CHARACTER SET utf8mb4 COLLATE ${collation} ` +
      (column.nullable ? 'NULL' : 'NOT NULL'),
  );
  await queryRunner.query(`ALTER TABLE \`${table}\` ${modify.join(', ')}`);
}
