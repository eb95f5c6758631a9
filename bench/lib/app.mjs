// The Gatehouse app as the benchmark starts and drives it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './servers.mjs';

export const API = '/api/v1';
export const PASSWORD = 'Blue-Kettle-42';
export const SPEC_ARGON2 = { ARGON2_MEMORY_KIB: '65536', ARGON2_TIME_COST: '3', ARGON2_PARALLELISM: '4' };
/** Keycloak's default Argon2 parameters (argon2id, 7 MiB, 5 iterations, 1 lane): the app's own per-login work shows. */
export const KEYCLOAK_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '5', ARGON2_PARALLELISM: '1' };
/** The app's default (SPEC §6): one hash per CPU. */
export const HASH_CONCURRENCY = availableParallelism();
export const HASH_QUEUE_MAX = 64;

const RELAXED = '1000000';
/** Production settings with fresh secrets; throttling raised so the load measures work, not refusals. */
export function appEnv(databaseUrl, dataDir) {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl || `sqlite:${join(dataDir, 'gatehouse.sqlite')}`,
    JWT_ACCESS_SECRET: randomBytes(48).toString('base64url'),
    JWT_REFRESH_SECRET: randomBytes(48).toString('base64url'),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ...SPEC_ARGON2,
    HASH_CONCURRENCY: String(HASH_CONCURRENCY),
    HASH_QUEUE_MAX: String(HASH_QUEUE_MAX),
    THROTTLE_LOGIN_ACCOUNT_IP_MAX: RELAXED,
    THROTTLE_LOGIN_ACCOUNT_MAX: RELAXED,
    THROTTLE_LOGIN_IP_MAX: RELAXED,
    THROTTLE_REFRESH_MAX: RELAXED,
    THROTTLE_REGISTER_MAX: RELAXED,
    THROTTLE_MFA_MAX: RELAXED,
  };
}

/** One database for a run of app processes: a temp SQLite file, or the MariaDB database given. */
export function makeDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startApp(root, env, options = {}) {
  return startServer({
    name: 'gatehouse',
    script: join(root, 'dist/src/main.js'),
    env,
    readyPath: '/health/live',
    ...options,
  });
}

async function post(url, path, body) {
  const res = await fetch(url + API + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) {
    throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  }
  return json.data;
}

export function registerUser(app, username) {
  return post(app.url, '/auth/register', { username, password: PASSWORD, name: 'Bench User' });
}

export function loginUser(app, username) {
  return post(app.url, '/auth/login', { username, password: PASSWORD });
}
