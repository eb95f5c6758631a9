// The admin user list at 100,000 users (issue 27): page 1 and page 1,000, p99, on SQLite and MariaDB; target < 50 ms.
// Both pages are read by keyset cursor (`after`), as the console's Next does: page 1 from `after=0`, page 1,000 from
// the id of the 19,980th user. `total` is counted at most once per 10 s per app instance (AdminUsersService), so a
// run's p99 sees that count at most a few times; its cost shows in `max`.
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
    // Page 999 read once by page number: its `next_after` is the id of the 19,980th user, where page 1,000 starts.
    const res = await fetch(`${app.url}${API}/admin/users?page=999&page_size=${PAGE_SIZE}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const deep = (await res.json()).data?.next_after;
    if (!res.ok || typeof deep !== 'number') {
      throw new Error(`admin list: page 999 answered ${res.status} without next_after`);
    }
    const target = (after) => ({
      url: app.url,
      path: `${API}/admin/users?after=${after}&page_size=${PAGE_SIZE}`,
      headers: { authorization: `Bearer ${token}` },
      connections: 1,
      amount: plan.amount,
      duration: 600, // autocannon wants one; `amount` ends the run first
    });
    const result = {};
    for (const [label, after] of [
      ['page1', 0],
      ['page1000', deep],
    ]) {
      await load({ ...target(after), amount: plan.warm });
      const r = await load({ ...target(after), perStatus: true });
      if (r.ok !== r.total) {
        throw new Error(`admin list ${label}: ${JSON.stringify(r.statuses)}`);
      }
      const max = r.latencyByStatus['200']?.max;
      result[label] = { after, p50: r.p50, p99: r.p99, max, rps: r.rps, requests: r.total };
      log(
        `  ${label} (after=${after}): p50 ${r.p50} ms, p99 ${r.p99} ms, max ${max?.toFixed(1)} ms, ${r.total} requests`,
      );
    }
    return { users: ADMIN_LIST_USERS + 2, pageSize: PAGE_SIZE, ...result };
  } finally {
    await app.stop();
  }
}
