import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

/** A database of its own for one test file: a temp SQLite file, or a fresh MySQL database. */
export interface TestDatabase {
  kind: 'sqlite' | 'mysql';
  /** The DATABASE_URL the app is started with. */
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (process.env.TEST_DB !== 'mysql') {
    return {
      kind: 'sqlite',
      url: `sqlite:${join(dataDir, 'test.sqlite')}`,
      dataDir,
      drop: () => Promise.resolve(removeDir()),
    };
  }
  const server = process.env.TEST_MYSQL_URL;
  if (!server) {
    throw new Error('TEST_DB=mysql needs TEST_MYSQL_URL, e.g. mysql://root@127.0.0.1:3306');
  }
  const name = `gatehouse_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(server);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    kind: 'mysql',
    url: url.toString(),
    dataDir,
    drop: async () => {
      const conn = await createConnection(server);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
      removeDir();
    },
  };
}
