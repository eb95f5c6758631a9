// The admin user list at 100,000 users (issue 27): page 1 and page 1,000, p99, on SQLite and MariaDB; target < 50 ms.
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { API, loginUser, registerUser } from './app.mjs';
import { load } from './load.mjs';
import { promote } from './webhooks.mjs';

export const ADMIN_LIST_USERS = 100_000;
const BATCH = 1000;
const PAGE_SIZE = 20;

/** The seeded copies: every column of the template row, with its own username (and no phone or email). */
function copyOf(template, i) {
  const name = `bench_list_${String(i).padStart(6, '0')}`;
  return { ...template, username: name, username_normalized: name, phone: null, email: null, email_normalized: null };
}

/**
 * Copies one registered user `count` times in multi-row INSERTs: the same precomputed Argon2 hash for all, no API,
 * so 100,000 users take seconds, not hours.
 */
async function seedUsers(databaseUrl, templateUsername, count) {
  const mysql = databaseUrl.startsWith('mysql');
  const db = mysql ? await createConnection(databaseUrl) : new Database(databaseUrl.replace(/^sqlite:/, ''));
  const select = 'SELECT * FROM users WHERE username = ?';
  const [template] = mysql
    ? (await db.query(select, [templateUsername]))[0]
    : [db.prepare(select).get(templateUsername)];
  delete template.id;
  const columns = Object.keys(template);
  const quote = (c) => (mysql ? `\`${c}\`` : `"${c}"`);
  const insert = (rows) =>
    `INSERT INTO users (${columns.map(quote).join(', ')}) VALUES ${rows.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
  try {
    if (!mysql) {
      db.pragma('journal_mode = WAL');
    }
    const run = mysql
      ? (sql, values) => db.query(sql, values)
      : db.transaction((sql, values) => db.prepare(sql).run(values));
    for (let start = 0; start < count; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => copyOf(template, start + k));
      const values = rows.flatMap((row) => columns.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : row[c])));
      await run(insert(rows), values);
    }
  } finally {
    await (mysql ? db.end() : db.close());
  }
}

/** Registers an admin and the template, seeds `ADMIN_LIST_USERS` users, then loads page 1 and page 1,000. */
export async function adminListScenario({ startApp, env, plan, log }) {
  let app = await startApp(env);
  const admin = `bench_list_admin_${Date.now()}`;
  try {
    await registerUser(app, admin);
    await registerUser(app, 'bench_list_template');
    await promote(env, admin);
  } finally {
    await app.stop();
  }
  const started = Date.now();
  await seedUsers(env.DATABASE_URL, 'bench_list_template', ADMIN_LIST_USERS);
  log(`  seeded ${ADMIN_LIST_USERS} users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  app = await startApp(env);
  try {
    const { access_token: token } = await loginUser(app, admin);
    const target = (page) => ({
      url: app.url,
      path: `${API}/admin/users?page=${page}&page_size=${PAGE_SIZE}`,
      headers: { authorization: `Bearer ${token}` },
      connections: 1,
      amount: plan.amount,
      duration: 600, // autocannon wants one; `amount` ends the run first
    });
    const result = {};
    for (const [label, page] of [
      ['page1', 1],
      ['page1000', 1000],
    ]) {
      await load({ ...target(page), amount: plan.warm });
      const r = await load(target(page));
      if (r.ok !== r.total) {
        throw new Error(`admin list ${label}: ${JSON.stringify(r.statuses)}`);
      }
      result[label] = { p50: r.p50, p99: r.p99, rps: r.rps };
      log(`  ${label}: p50 ${r.p50} ms, p99 ${r.p99} ms`);
    }
    return { users: ADMIN_LIST_USERS + 2, pageSize: PAGE_SIZE, ...result };
  } finally {
    await app.stop();
  }
}
