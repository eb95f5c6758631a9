// A fresh MariaDB/MySQL database for one benchmark run, dropped afterwards.
import mysql from 'mysql2/promise';

export async function createMysqlDatabase(serverUrl) {
  const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
  url.pathname = '';
  const name = `gatehouse_bench_${process.pid}_${Date.now()}`;
  const conn = await mysql.createConnection(url.toString());
  try {
    await conn.query(`CREATE DATABASE \`${name}\``);
    const [[row]] = await conn.query('SELECT VERSION() AS version');
    return {
      name,
      version: row.version,
      url: `${url.toString().replace(/\/$/, '')}/${name}`,
      async drop() {
        const c = await mysql.createConnection(url.toString());
        try {
          await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
        } finally {
          await c.end();
        }
      },
    };
  } finally {
    await conn.end();
  }
}

/** Runs `fn(db)` on a fresh database at `serverUrl` (see `createMysqlDatabase`), dropped afterwards. */
export async function withMysqlDatabase(serverUrl, fn) {
  const db = await createMysqlDatabase(serverUrl);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}
