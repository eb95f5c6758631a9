import type { DataSource } from 'typeorm';
import type { AuditTransactionRows, RecordedAuditEvent } from '#src/audit/audit.service.js';

type Row = Omit<RecordedAuditEvent, 'id'>;
type Value = string | number | null;

/** `audit_events` columns by RecordedAuditEvent field. */
export const AUDIT_COLUMNS: Record<keyof Row, string> = {
  type: 'type',
  userId: 'user_id',
  identifier: 'identifier',
  sessionId: 'session_id',
  reason: 'reason',
  ip: 'ip',
  userAgent: 'user_agent',
  deviceId: 'device_id',
  createdAt: 'created_at',
};

interface SqliteConnection {
  prepare(sql: string): { run(...params: Value[]): { lastInsertRowid: number | bigint } };
  transaction<T>(fn: () => T): () => T;
}

const insertSql = (quote: (name: string) => string, table: string, columns: string[]) =>
  `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;

/**
 * Inserts the audit row and the rows `more(id)` returns in one transaction, and returns the audit row's id.
 * On SQLite it is better-sqlite3's synchronous transaction: TypeORM shares one connection among all requests
 * there, so an async transaction would take in whatever other requests run between its awaits (the same reason as
 * SessionsService.transaction). On MySQL, a query runner of its own.
 */
export async function writeWithRows(
  dataSource: DataSource,
  columns: Record<keyof Row, string>,
  row: Row,
  more: (id: number) => AuditTransactionRows[],
): Promise<number> {
  const fields = Object.keys(columns) as (keyof Row)[];
  const values = fields.map((field) => row[field]);
  const quote = (name: string) => dataSource.driver.escape(name);
  const auditSql = insertSql(
    quote,
    'audit_events',
    fields.map((field) => columns[field]),
  );
  const statementsFor = (id: number) =>
    more(id).flatMap(({ table, rows }) =>
      rows.map((r) => [insertSql(quote, table, Object.keys(r)), Object.values(r)] as const),
    );
  if (dataSource.options.type === 'better-sqlite3') {
    const db = (dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    return db.transaction(() => {
      const id = Number(db.prepare(auditSql).run(...values).lastInsertRowid);
      for (const [sql, params] of statementsFor(id)) {
        db.prepare(sql).run(...params);
      }
      return id;
    })();
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const result = (await runner.query(auditSql, values, true)) as { raw: { insertId: number } };
    const id = Number(result.raw.insertId);
    for (const [sql, params] of statementsFor(id)) {
      await runner.query(sql, [...params]);
    }
    await runner.commitTransaction();
    return id;
  } catch (e) {
    if (runner.isTransactionActive) {
      await runner.rollbackTransaction();
    }
    throw e;
  } finally {
    await runner.release();
  }
}
