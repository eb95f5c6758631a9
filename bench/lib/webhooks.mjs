// The webhook scenario: login throughput with 3 subscribed endpoints (one answering in 2 s) over none (issue 26).
import { createServer } from 'node:http';
import { createConnection } from 'mysql2/promise';
import Database from 'better-sqlite3';
import { API, loginUser, PASSWORD, registerUser } from './app.mjs';

/** Receivers on loopback answering 200 after `delays` ms each; returns their URLs and a close(). */
export async function startReceivers(delays) {
  const servers = await Promise.all(
    delays.map(
      (delay) =>
        new Promise((resolve) => {
          const server = createServer((req, res) => {
            req.resume();
            req.on('end', () => setTimeout(() => res.writeHead(200).end(), delay));
          });
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  return {
    urls: servers.map((s) => `http://127.0.0.1:${s.address().port}/hook`),
    close: () => Promise.all(servers.map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r))))),
  };
}

/** Makes `username` an admin straight in the database, as an operator's first admin is made. */
export async function promote(env, username) {
  const sql = "UPDATE users SET role = 'admin' WHERE username = ?";
  if (env.DATABASE_URL.startsWith('mysql')) {
    const db = await createConnection(env.DATABASE_URL);
    await db.query(sql, [username]);
    await db.end();
  } else {
    const db = new Database(env.DATABASE_URL.replace(/^sqlite:/, ''));
    db.prepare(sql).run(username);
    db.close();
  }
}

async function call(app, token, method, path, body) {
  const res = await fetch(`${app.url}${API}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  }
  return json.data;
}

/**
 * Subscribes the receivers to every event through the admin API and returns a switch: `set(true)` enables them all,
 * `set(false)` disables them (a disabled endpoint gets nothing queued), so one app alternates both cases.
 */
export async function subscribeAll(app, env, urls) {
  const admin = `bench_hooks_admin_${Date.now()}`;
  await registerUser(app, admin);
  await promote(env, admin);
  const { access_token: token } = await loginUser(app, admin);
  const ids = [];
  for (const url of urls) {
    ids.push((await call(app, token, 'POST', '/admin/webhooks', { url, events: ['*'] })).id);
  }
  return {
    set: async (enabled) => {
      for (const id of ids) {
        await call(app, token, 'PATCH', `/admin/webhooks/${id}`, { enabled });
      }
    },
  };
}

export const loginBody = (username) => ({ username, password: PASSWORD });
