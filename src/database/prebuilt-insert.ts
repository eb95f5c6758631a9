import type { ObjectLiteral, Repository } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/**
 * One row into one table through an INSERT built once from the entity's metadata (issue 29). TypeORM's
 * `Repository.insert` runs its insert query builder on every call (aliases, escaping, the returning-columns
 * pass): 1–2 ms of event loop per login on MariaDB in the profile, for statements whose text never
 * changes. Values go through the driver as TypeORM's insert would (`preparePersistentValue`: types,
 * transformers). Generated columns are left to the database; a property left undefined is written NULL, so use it
 * only for tables whose other columns have no default (sessions, refresh_tokens, audit_events).
 */
export class PrebuiltInsert<T extends ObjectLiteral> {
  private statement: { sql: string; columns: ColumnMetadata[] } | undefined;

  constructor(private readonly repository: Repository<T>) {}

  /** Inserts the row; answers the id the database generated for it (an auto-increment key), else NaN. */
  async insert(row: Partial<T>): Promise<number> {
    const { sql, columns } = (this.statement ??= this.build());
    const { driver } = this.repository.manager.connection;
    const params = columns.map(
      (column): unknown => driver.preparePersistentValue(column.getEntityValue(row), column) ?? null,
    );
    return generatedIdOf(await this.repository.query(sql, params));
  }

  private build(): { sql: string; columns: ColumnMetadata[] } {
    const { metadata } = this.repository;
    const { driver } = this.repository.manager.connection;
    const columns = metadata.columns.filter((column) => !column.isGenerated);
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const sql = `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES (${columns.map(() => '?').join(', ')})`;
    return { sql, columns };
  }
}

/** better-sqlite3 answers an INSERT with its `lastInsertRowid`, mysql2 with a ResultSetHeader carrying `insertId`. */
function generatedIdOf(raw: unknown): number {
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    return Number(raw);
  }
  return Number((raw as { insertId?: unknown } | null)?.insertId);
}
