#!/usr/bin/env node
// Gatehouse benchmark: `npm run bench` (full) or `npm run bench -- --quick`; `--mysql` or BENCH_MYSQL_URL
// adds MariaDB; `--webhooks-only` and `--abuse-only` run the webhook or the abuse scenario alone, `--admin-list-only`
// the admin user list at 100,000 users (with `--mysql`, on MariaDB too); `--features-only` prices each feature of the
// guard path alone, `--hashing-only` compares hashing-thread defaults (issue 29). Every server runs in a process of
// its own on a loopback port; autocannon drives it
// from this process; each scenario repeats in rounds that alternate the compared servers, and only
// medians and ratios are reported. Writes docs/BENCHMARKS.md and docs/benchmarks.svg.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  API,
  appEnv,
  HASH_CONCURRENCY,
  HASH_QUEUE_MAX,
  KEYCLOAK_ARGON2,
  loginUser,
  makeDataDir,
  PASSWORD,
  registerUser,
  SPEC_ARGON2,
  startApp,
} from './lib/app.mjs';
import { load, median, politeClients, waveFloor } from './lib/load.mjs';
import { withMysqlDatabase } from './lib/mysql.mjs';
import { baselineServers, recipeAuthorization } from './lib/baselines.mjs';
import { featureScenario, featureTable, instructionTable } from './lib/features.mjs';
import { loginBody, startReceivers, subscribeAll } from './lib/webhooks.mjs';
import { adminListScenario } from './lib/admin-list.mjs';
import { abuseCheck, writeReport } from './lib/report.mjs';
import { cpuShare, cpuTicks, databaseServerPid, memoryOf, sampleRss, settle, startServer } from './lib/servers.mjs';
import { profileRoutes } from './profile.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const MYSQL_URL = process.env.BENCH_MYSQL_URL || (argv.includes('--mysql') ? 'mysql://root@127.0.0.1:3306' : '');
const SKIP_BUILD = argv.includes('--no-build');
const PROFILE = argv.includes('--profile');
const LAST_RUN = join(ROOT, 'node_modules/.cache/gatehouse-bench/last-run.json');

/** Durations in seconds, amounts in requests. Quick keeps ≥ 3 alternating rounds, only shorter. */
const PLAN = QUICK
  ? { rounds: 3, warm: 1, guard: 1, login: 2, latencyAmount: 4, overload: 2, refresh: 2, abuse: 2 }
  : { rounds: 5, warm: 3, guard: 10, login: 10, latencyAmount: 30, overload: 8, refresh: 10, abuse: 10 };
/**
 * The per-feature price list: seconds per variant and round (many variants, so shorter than the guard runs); for the
 * instruction count under callgrind, requests before instrumenting, then `settle` batches of `batch` requests
 * instrumented but not counted, then `batches` counted.
 */
const FEATURES_PLAN = QUICK
  ? { rounds: 3, warmRounds: 1, seconds: 2, instructions: { warm: 1000, batch: 500, settle: 3, batches: 3 } }
  : { rounds: 5, warmRounds: 2, seconds: 2, instructions: { warm: 3000, batch: 1000, settle: 3, batches: 5 } };
const GUARD_CONNECTIONS = 64;
const LOGIN_CONNECTIONS = 16;
const REFRESH_CONNECTIONS = 16;
const OVERLOAD_LEVELS = QUICK ? [16, 256] : [16, 64, 256];
const FLOOD_CONNECTIONS = 32;
const PROBE_CONNECTIONS = 4;
/** CODE_IP_MAX's default (SPEC §12): code requests one IP may make an hour. */
const CODE_IP_MAX = 20;
const KEYCLOAK_LABEL = " at Keycloak's Argon2 parameters (m=7 MiB t=5 p=1)";

const log = (...parts) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

function build() {
  if (SKIP_BUILD) {
    log('skipping the build (--no-build)');
    return;
  }
  log('npm run build');
  const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (res.status !== 0) {
    process.stderr.write(res.stdout + res.stderr);
    throw new Error('npm run build failed');
  }
}

/**
 * Runs `targets` (name → load options) for PLAN.rounds rounds, alternating them inside each round
 * (the order rotates per round so none always runs first). Answers name → array of per-round results.
 */
async function rounds(targets, { warm = PLAN.warm, databasePid = null } = {}) {
  const names = Object.keys(targets);
  for (const name of names) {
    if (warm > 0) {
      await load({ ...targets[name], duration: warm, amount: undefined });
      await settle(targets[name].pid);
    }
  }
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < PLAN.rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      // Where the cores went during the run (the server's threads, the database server, this process), from /proc.
      const cpu = cpuShare(targets[name].pid, databasePid);
      const r = await load(targets[name]);
      r.cpu = cpu.stop();
      await settle(targets[name].pid);
      results[name].push(r);
      log(`  round ${round + 1} ${name}: ${r.rps.toFixed(1)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
    }
  }
  return results;
}

/** CPU ms per answered request, by where it was spent (medians over rounds; see `cpuShare`). */
function cpuPerRequest(list) {
  const per = (key) => median(list.map((r) => (r.cpu[key] === null ? NaN : r.cpu[key] / Math.max(1, r.total))));
  return {
    eventLoop: per('eventLoopMs'),
    otherThreads: per('otherThreadsMs'),
    database: per('databaseMs'),
    loadGenerator: per('loadGeneratorMs'),
  };
}

/** Median of a metric over rounds, and the median of the per-round ratios a/b (paired by round). */
const med = (list, key = 'okRps') => median(list.map((r) => r[key]));
const ratio = (a, b, key = 'okRps') => median(a.map((r, i) => r[key] / b[i][key]));
const summary = (list) => ({
  rps: med(list),
  p50: med(list, 'p50'),
  p99: med(list, 'p99'),
  errors: list.reduce((n, r) => n + r.errors + (r.total - r.ok), 0),
});

async function guardScenario(app, base, access) {
  log('guard cost: /auth/check and /users/me vs bare Fastify, the NestJS recipe on Fastify and on Express');
  const auth = { authorization: `Bearer ${access}` };
  const recipeAuth = recipeAuthorization();
  const opts = { connections: GUARD_CONNECTIONS, duration: PLAN.guard };
  const res = await rounds({
    check: { ...opts, pid: app.pid, url: app.url, path: `${API}/auth/check`, headers: auth },
    me: { ...opts, pid: app.pid, url: app.url, path: `${API}/users/me`, headers: auth },
    live: { ...opts, pid: app.pid, url: app.url, path: '/health/live' },
    bare: { ...opts, pid: base.bare.pid, url: base.bare.url, path: '/ping' },
    nest: {
      ...opts,
      pid: base.nest.pid,
      url: base.nest.url,
      path: '/check',
      headers: recipeAuth,
    },
    recipe: {
      ...opts,
      pid: base.recipe.pid,
      url: base.recipe.url,
      path: '/check',
      headers: recipeAuth,
    },
  });
  return {
    check: summary(res.check),
    me: summary(res.me),
    live: summary(res.live),
    bare: summary(res.bare),
    nest: summary(res.nest),
    recipe: summary(res.recipe),
    checkOverRecipe: ratio(res.check, res.recipe),
    meOverRecipe: ratio(res.me, res.recipe),
    recipeOverBare: ratio(res.recipe, res.bare),
    checkOverBare: ratio(res.check, res.bare),
    checkOverNest: ratio(res.check, res.nest),
    meOverCheck: ratio(res.me, res.check),
    liveOverBare: ratio(res.live, res.bare),
  };
}

async function loginScenario(app, base, username, withBcrypt, argon2 = base.argon2, databasePid = null) {
  log(
    `login throughput at -c ${LOGIN_CONNECTIONS}: app vs raw @node-rs/argon2 verify (${argon2.name})${withBcrypt ? ' vs bcrypt-12' : ''}`,
  );
  const body = { username, password: PASSWORD };
  const opts = { connections: LOGIN_CONNECTIONS, duration: PLAN.login, method: 'POST', body };
  const targets = {
    login: { ...opts, pid: app.pid, url: app.url, path: `${API}/auth/login` },
    argon2: { ...opts, pid: argon2.pid, url: argon2.url, path: '/' },
  };
  const bcrypt = { ...opts, pid: base.bcrypt.pid, url: base.bcrypt.url, path: '/' };
  // Hashing needs no JIT warm-up, and bcryptjs' throughput is one core over its latency: skipping
  // both in --quick keeps it under two minutes.
  const res = await rounds(withBcrypt && !QUICK ? { ...targets, bcrypt } : targets, {
    warm: QUICK ? 0 : PLAN.warm,
    databasePid,
  });
  log('single-login latency at -c 1');
  const single = Object.fromEntries(
    Object.entries(withBcrypt ? { ...targets, bcrypt } : targets).map(([k, t]) => [
      k,
      { ...t, connections: 1, duration: 60, amount: PLAN.latencyAmount },
    ]),
  );
  const lat = await rounds(single, { warm: 0 });
  const out = {
    login: summary(res.login),
    argon2: summary(res.argon2),
    loginOverArgon2: ratio(res.login, res.argon2),
    cpu: { login: cpuPerRequest(res.login), argon2: cpuPerRequest(res.argon2) },
    latency: Object.fromEntries(Object.entries(lat).map(([k, list]) => [k, med(list, 'p50')])),
  };
  if (res.bcrypt) {
    out.bcrypt = summary(res.bcrypt);
    out.loginOverBcrypt = ratio(res.login, res.bcrypt);
  }
  return out;
}

/**
 * Issue 26: login throughput with 3 endpoints subscribed to every event, one answering in 2 s, over the same app with
 * them disabled; rounds alternate the two. The outbox row rides in the audit row's transaction and delivery runs
 * off the request path, so the target is ≥ 0.95.
 */
async function webhookScenario(env, username) {
  log(`login throughput with 3 subscribed webhook endpoints (one answering in 2 s) ÷ none, at -c ${LOGIN_CONNECTIONS}`);
  const receivers = await startReceivers([0, 0, 2000]);
  // Production refuses loopback receivers unless allowed: these are the operator's intranet.
  const hookedEnv = { ...env, WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' };
  const app = await startApp(ROOT, hookedEnv);
  try {
    const hooks = await subscribeAll(app, hookedEnv, receivers.urls);
    const target = {
      url: app.url,
      path: `${API}/auth/login`,
      method: 'POST',
      body: loginBody(username),
      connections: LOGIN_CONNECTIONS,
      duration: PLAN.login,
    };
    await load({ ...target, duration: PLAN.warm });
    const hooked = [];
    const none = [];
    for (let round = 0; round < PLAN.rounds; round++) {
      for (const [enabled, list] of [
        [true, hooked],
        [false, none],
      ]) {
        await hooks.set(enabled);
        await settle(app.pid);
        list.push(await load(target));
      }
      log(`  round ${round + 1}: ${hooked.at(-1).okRps.toFixed(1)} vs ${none.at(-1).okRps.toFixed(1)} ok/s`);
    }
    return { hooked: summary(hooked), none: summary(none), hookedOverNone: ratio(hooked, none) };
  } finally {
    await app.stop();
    await receivers.close();
  }
}

/** One `POST /auth/codes` for `phone`; answers the status. */
async function requestCode(app, phone) {
  const res = await fetch(`${app.url}${API}/auth/codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ purpose: 'login', phone }),
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Issue 23 item 8: what a flood of refused code requests costs everyone else. One IP spends its hourly code budget
 * (CODE_IP_MAX), then floods `POST /auth/codes` for ever new phone numbers, each refused 429 at the IP step before any
 * per-destination counter (SPEC §7, §12); meanwhile a prober reads `GET /health/live`. Reported: the prober's p99
 * during the flood over its p99 alone, rounds alternating the two. Both load generators share this process.
 */
async function abuseScenario(env) {
  log(
    `p99 of /health/live (-c ${PROBE_CONNECTIONS}) during a flood of refused /auth/codes from one IP ` +
      `(-c ${FLOOD_CONNECTIONS}) ÷ idle`,
  );
  // In production /auth/codes answers 403 CHANNEL_DISABLED without an SMS provider, before any limit. Nothing is sent
  // to this webhook: no account holds the numbers.
  const abuseEnv = {
    ...env,
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: 'https://127.0.0.1:9/sms',
    WEBHOOK_SECRET: randomBytes(32).toString('base64url'),
  };
  const app = await startApp(ROOT, abuseEnv);
  try {
    let sequence = 0;
    const nextPhone = () => `+86138${String((sequence += 1)).padStart(8, '0')}`;
    const spent = [];
    for (let i = 0; i <= CODE_IP_MAX; i++) {
      spent.push(await requestCode(app, nextPhone()));
    }
    if (spent.at(-1) !== 429) {
      throw new Error(`the IP's code budget should be spent, got ${spent.join(' ')}`);
    }
    const probe = {
      url: app.url,
      path: '/health/live',
      connections: PROBE_CONNECTIONS,
      duration: PLAN.abuse,
      // Per-response times in fractions of a millisecond: the histogram's whole milliseconds are too coarse here.
      perStatus: true,
    };
    const flood = {
      url: app.url,
      connections: FLOOD_CONNECTIONS,
      duration: PLAN.abuse,
      requests: [
        {
          method: 'POST',
          path: `${API}/auth/codes`,
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ purpose: 'login', phone: nextPhone() }) }),
        },
      ],
    };
    await load({ ...probe, duration: PLAN.warm });
    // A round in which the prober got no answer at all counts as an unbounded p99, not as a missing one.
    const p99 = (r) => r.latencyByStatus['200']?.p99 ?? Infinity;
    const idle = [];
    const flooded = [];
    const floods = [];
    for (let round = 0; round < PLAN.rounds; round++) {
      await settle(app.pid);
      idle.push(await load(probe));
      await settle(app.pid);
      const [f, p] = await Promise.all([load(flood), load(probe)]);
      floods.push(f);
      flooded.push(p);
      log(
        `  round ${round + 1}: /health/live p99 ${p99(idle.at(-1)).toFixed(2)} ms idle, ${p99(p).toFixed(2)} ms ` +
          `under ${f.rps.toFixed(0)} refused /auth/codes a second (429: ${f.statuses['429'] ?? 0} of ${f.total})`,
      );
    }
    return {
      idleP99: median(idle.map(p99)),
      floodedP99: median(flooded.map(p99)),
      floodedOverIdle: median(flooded.map((r, i) => p99(r) / p99(idle[i]))),
      floodRps: med(floods, 'rps'),
      // Flood answers that were not 429: none when every request is refused at the IP step.
      notRefused: floods.reduce((sum, r) => sum + r.total - (r.statuses['429'] ?? 0), 0),
    };
  } finally {
    await app.stop();
  }
}

/** 16, 64 and 256 concurrent logins on a freshly started app: RSS, accepted p99, the 503s and their latency. */
async function overloadScenario(env, username, bare) {
  log(`concurrent logins ${OVERLOAD_LEVELS.join(', ')} on a fresh app process (RSS sampled from /proc)`);
  const app = await startApp(ROOT, env);
  try {
    const body = { username, password: PASSWORD };
    await load({ url: app.url, path: `${API}/auth/login`, method: 'POST', body, connections: 4, duration: PLAN.warm });
    await settle(app.pid);
    const startRss = memoryOf(app.pid)?.rss ?? NaN;
    const perLevel = Object.fromEntries(OVERLOAD_LEVELS.map((c) => [c, []]));
    for (let round = 0; round < PLAN.rounds; round++) {
      for (const c of OVERLOAD_LEVELS) {
        const sampler = sampleRss(app.pid);
        const r = await politeClients({
          url: app.url,
          path: `${API}/auth/login`,
          body,
          connections: c,
          duration: PLAN.overload,
        });
        r.peakRss = sampler.stop();
        await settle(app.pid);
        perLevel[c].push(r);
        const s503 = r.latencyByStatus['503'];
        log(
          `  round ${round + 1} -c ${c}: ${r.okRps.toFixed(1)} ok/s, 200 p99 ${r.latencyByStatus['200']?.p99 ?? '-'} ms, ` +
            `503 × ${s503?.count ?? 0} (p99 ${s503?.p99 ?? '-'} ms), peak RSS ${r.peakRss.toFixed(0)} MiB`,
        );
      }
    }
    const levels = OVERLOAD_LEVELS.map((c) => {
      const list = perLevel[c];
      const okRps = med(list);
      return {
        connections: c,
        okRps,
        okP99: median(list.map((r) => r.latencyByStatus['200']?.p99 ?? NaN)),
        // Draining a full queue: HASH_QUEUE_MAX waiting plus HASH_CONCURRENCY running, at this run's rate.
        queueBoundMs: ((HASH_QUEUE_MAX + HASH_CONCURRENCY) / okRps) * 1000,
        rejected: median(list.map((r) => r.latencyByStatus['503']?.count ?? 0)),
        rejectedShare: median(list.map((r) => (r.latencyByStatus['503']?.count ?? 0) / Math.max(1, r.total))),
        rejectedP99: median(list.map((r) => r.latencyByStatus['503']?.p99 ?? NaN)),
        other: median(list.map((r) => r.total - r.ok - (r.latencyByStatus['503']?.count ?? 0))),
        peakRss: Math.max(...list.map((r) => r.peakRss)),
      };
    });
    // The top level opens all its connections at once each round; what that alone costs on this machine:
    const floor = await waveFloor(bare.url, OVERLOAD_LEVELS.at(-1));
    log(
      `  bare Fastify, ${OVERLOAD_LEVELS.at(-1)} new connections at once: p50 ${floor.p50.toFixed(0)} ms, p99 ${floor.p99.toFixed(0)} ms`,
    );
    return { startRss, hwm: memoryOf(app.pid)?.hwm ?? NaN, levels, floor };
  } finally {
    await app.stop();
  }
}

/**
 * Every refresh spends a token no request has spent: a shared pool starts with one fresh session per
 * slot, each request takes a token from it and each answer puts the rotated token back. (autocannon
 * resets a connection's context after every request, so the chain cannot live there.)
 */
async function refreshScenario(app, username) {
  log(`refresh (rotation, database write) at -c ${REFRESH_CONNECTIONS}`);
  const pool = [];
  for (let i = 0; i < REFRESH_CONNECTIONS + 4; i++) {
    pool.push((await loginUser(app, username)).refresh_token);
  }
  const inFlight = new Set();
  const requests = [
    {
      method: 'POST',
      path: `${API}/auth/refresh`,
      headers: { 'content-type': 'application/json' },
      setupRequest: (req, context) => {
        context.token = pool.shift();
        inFlight.add(context.token);
        return { ...req, body: JSON.stringify({ refresh_token: context.token }) };
      },
      onResponse: (status, body, context) => {
        inFlight.delete(context.token);
        if (status === 200) {
          pool.push(JSON.parse(body).data.refresh_token);
        }
      },
    },
  ];
  // A run ends with requests in flight whose answers are never read. Within REFRESH_REUSE_GRACE the
  // spent token still answers the session's current one (SPEC §5), which puts the chain back.
  const recover = async () => {
    for (const token of inFlight) {
      inFlight.delete(token);
      const res = await fetch(`${app.url}${API}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (res.ok) {
        pool.push((await res.json()).data.refresh_token);
      }
    }
  };
  const list = [];
  const target = { url: app.url, connections: REFRESH_CONNECTIONS, duration: PLAN.refresh, requests };
  for (let round = 0; round < PLAN.rounds; round++) {
    const before = cpuTicks(app.pid);
    const r = await load(target);
    // CPU time of the app process (all threads) per refresh: refreshes per CPU-second is a per-core figure that
    // does not depend on what else shares the machine.
    r.cpuMsPerRefresh = ((cpuTicks(app.pid) - before) * 10) / Math.max(1, r.total);
    await settle(app.pid);
    await recover();
    list.push(r);
    log(
      `  round ${round + 1}: ${r.okRps.toFixed(1)} ok/s, p99 ${r.p99} ms, non-200 ${r.total - r.ok}, ` +
        `${r.cpuMsPerRefresh.toFixed(2)} ms CPU per refresh`,
    );
  }
  const cpuMs = med(list, 'cpuMsPerRefresh');
  return { ...summary(list), cpuMsPerRefresh: cpuMs, perCore: 1000 / cpuMs };
}

async function benchDatabase(label, databaseUrl, base, withBcrypt) {
  const data = makeDataDir();
  const databasePid = databaseUrl ? databaseServerPid() : null;
  const env = appEnv(databaseUrl, data.dir);
  const app = await startApp(ROOT, env);
  try {
    const username = `bench_${label}`;
    const { access_token: access } = await registerUser(app, username);
    const guard = await guardScenario(app, base, access);
    const login = await loginScenario(app, base, username, withBcrypt, base.argon2, databasePid);
    const refresh = await refreshScenario(app, username);
    await app.stop();
    // Keycloak's Argon2 parameters: a verify ~10× cheaper, so the app's own per-login work weighs in the ratio.
    log("login at Keycloak's default Argon2 parameters (m=7 MiB, t=5, p=1)");
    const kcApp = await startApp(ROOT, { ...env, ...KEYCLOAK_ARGON2 });
    let keycloak;
    try {
      const kcUser = `bench_${label}_kc`;
      await registerUser(kcApp, kcUser);
      keycloak = await loginScenario(kcApp, base, kcUser, false, base.argon2kc, databasePid);
    } finally {
      await kcApp.stop();
    }
    const overload = await overloadScenario(env, username, base.bare);
    const webhooks = await webhookScenario(env, username);
    const abuse = await abuseScenario(env);
    const adminList = await adminListOn(label, env);
    return { label, guard, login, keycloak, refresh, overload, webhooks, abuse, adminList };
  } finally {
    await app.stop();
    data.remove();
  }
}

/** `--report-only`: docs/BENCHMARKS.md rendered again from the last run's measurements, e.g. after a template edit. */
async function reportOnly() {
  if (!existsSync(LAST_RUN)) {
    throw new Error(`no ${LAST_RUN}: run npm run bench first`);
  }
  const { failed } = await writeReport({ ...JSON.parse(readFileSync(LAST_RUN, 'utf8')), root: ROOT });
  log(`rendered docs/BENCHMARKS.md from ${LAST_RUN}; targets missed: ${failed.length}`);
}

/** `--webhooks-only`: the webhook scenario alone on SQLite, printed, no report: to check it after a change. */
async function webhooksOnly() {
  build();
  const data = makeDataDir();
  try {
    const env = appEnv('', data.dir);
    const app = await startApp(ROOT, env);
    await registerUser(app, 'bench_webhooks');
    await app.stop();
    log(JSON.stringify(await webhookScenario(env, 'bench_webhooks')));
  } finally {
    data.remove();
  }
}

/** The admin user list at 100,000 users (issue 27): seeded last, so no other scenario sees the extra rows. */
function adminListOn(label, env) {
  log(`admin user list (${label}): page 1 and page 1,000 of 20 at 100,000 users, p99, target < 50 ms`);
  const plan = QUICK ? { warm: 20, amount: 200 } : { warm: 50, amount: 1000 };
  return adminListScenario({ startApp: (e) => startApp(ROOT, e), env, plan, log });
}

/** `--admin-list-only`: that scenario alone on SQLite (and MariaDB with `--mysql`), printed, no report. */
async function adminListOnly() {
  build();
  const data = makeDataDir();
  try {
    const results = { sqlite: await adminListOn('SQLite', appEnv('', data.dir)) };
    if (MYSQL_URL) {
      results.mariadb = await withMysqlDatabase(MYSQL_URL, ({ url }) => adminListOn('MariaDB', appEnv(url, data.dir)));
    }
    log(JSON.stringify(results));
  } finally {
    data.remove();
  }
}

/** `--abuse-only`: the abuse scenario alone on SQLite, its row printed, no report: to check it after a change. */
async function abuseOnly() {
  build();
  const data = makeDataDir();
  try {
    const abuse = await abuseScenario(appEnv('', data.dir));
    const row = abuseCheck('sqlite', abuse);
    log(`${row.name}: ${row.value.toFixed(2)}× (${row.target}); ${JSON.stringify(abuse)}`);
  } finally {
    data.remove();
  }
}

/** The baselines every scenario compares with; `only` names the ones a partial run needs. */
async function startBaselines(only) {
  const hashEnv = { ...SPEC_ARGON2, HASH_CONCURRENCY: String(HASH_CONCURRENCY), BENCH_PASSWORD: PASSWORD };
  const all = baselineServers(ROOT, { hashEnv, keycloakArgon2: KEYCLOAK_ARGON2 });
  const base = {};
  for (const name of only ?? Object.keys(all)) {
    base[name] = await startServer(all[name]);
  }
  base.stopAll = () => Promise.all(Object.keys(all).map((name) => base[name]?.stop()));
  return base;
}

/** Issue 29: /auth/check with all features on, each left out, and everything left out, on SQLite. */
function features(base, env) {
  log('the price of each feature: /auth/check with all on, each left out (BENCH_DISABLE), the recipe, bare Fastify');
  const recipeAuth = recipeAuthorization();
  return featureScenario({
    env,
    base: { ...base, recipeAuth },
    plan: { ...FEATURES_PLAN, root: ROOT },
    log,
    connections: GUARD_CONNECTIONS,
  });
}

/**
 * Issue 29 / SPEC §6: each Argon2 verify runs ARGON2_PARALLELISM threads, so HASH_CONCURRENCY = cores keeps
 * cores × p hashing threads runnable. `--hashing-only`: login throughput and p99 at -c 16 with today's default
 * (HASH_CONCURRENCY = cores) against HASH_CONCURRENCY × ARGON2_PARALLELISM ≤ cores, two app processes on one SQLite
 * file in alternating rounds, at the spec parameters and at Keycloak's (where p = 1 makes both the same: measured
 * anyway, as a control for the noise between two identical processes).
 */
async function hashingOnly() {
  build();
  const data = makeDataDir();
  const out = {};
  try {
    for (const [label, argon2] of [
      ['spec m=64 MiB t=3 p=4', SPEC_ARGON2],
      ["Keycloak's m=7 MiB t=5 p=1", KEYCLOAK_ARGON2],
    ]) {
      const threads = Math.max(1, Math.floor(HASH_CONCURRENCY / Number(argon2.ARGON2_PARALLELISM)));
      const env = { ...appEnv('', data.dir), ...argon2 };
      const cores = await startApp(ROOT, { ...env, HASH_CONCURRENCY: String(HASH_CONCURRENCY) });
      const bounded = await startApp(ROOT, { ...env, HASH_CONCURRENCY: String(threads) });
      try {
        const username = `bench_threads_${argon2.ARGON2_PARALLELISM}`;
        await registerUser(cores, username);
        const opts = {
          connections: LOGIN_CONNECTIONS,
          duration: PLAN.login,
          method: 'POST',
          path: `${API}/auth/login`,
          body: { username, password: PASSWORD },
        };
        log(`${label}: HASH_CONCURRENCY=${HASH_CONCURRENCY} (cores) vs ${threads} (threads ≤ cores)`);
        const res = await rounds(
          {
            [`cores (${HASH_CONCURRENCY})`]: { ...opts, pid: cores.pid, url: cores.url },
            [`threads ≤ cores (${threads})`]: { ...opts, pid: bounded.pid, url: bounded.url },
          },
          { warm: 0 },
        );
        out[label] = Object.fromEntries(Object.entries(res).map(([k, list]) => [k, summary(list)]));
        const [a, b] = Object.values(res);
        out[label].ratio = ratio(b, a);
      } finally {
        await cores.stop();
        await bounded.stop();
      }
    }
    log(JSON.stringify(out, null, 2));
  } finally {
    data.remove();
  }
}

/** `--features-only`: the feature price list alone on SQLite, printed as the report's table, no report. */
async function featuresOnly() {
  build();
  const base = await startBaselines(['bare', 'recipe']);
  const data = makeDataDir();
  try {
    const result = await features(base, appEnv('', data.dir));
    console.log(featureTable(result));
    if (result.instructions) {
      console.log(`\n${instructionTable(result)}`);
    }
    log(
      `gap to the recipe ${result.gap.toFixed(1)} µs per request; the recipe's guard over bare Fastify ${result.recipeGuard.toFixed(1)} µs`,
    );
  } finally {
    await base.stopAll();
    data.remove();
  }
}

async function main() {
  if (argv.includes('--report-only')) {
    return reportOnly();
  }
  if (argv.includes('--webhooks-only')) {
    return webhooksOnly();
  }
  if (argv.includes('--admin-list-only')) {
    return adminListOnly();
  }
  if (argv.includes('--abuse-only')) {
    return abuseOnly();
  }
  if (argv.includes('--features-only')) {
    return featuresOnly();
  }
  if (argv.includes('--hashing-only')) {
    return hashingOnly();
  }
  const started = Date.now();
  build();
  log('starting baselines');
  const base = await startBaselines();
  const results = [];
  let mysqlVersion;
  let featurePrices;
  try {
    const featureData = makeDataDir();
    try {
      featurePrices = await features(base, appEnv('', featureData.dir));
    } finally {
      featureData.remove();
    }
    results.push(await benchDatabase('sqlite', '', base, true));
    if (MYSQL_URL) {
      await withMysqlDatabase(MYSQL_URL, async (db) => {
        mysqlVersion = db.version;
        log(`MariaDB database ${db.name} (${db.version})`);
        results.push(await benchDatabase('mariadb', db.url, base, false));
      });
    }
  } finally {
    await base.stopAll();
  }
  let profile;
  if (PROFILE) {
    log(
      'CPU profiles of /auth/check, /users/me, the recipe, 256 concurrent logins, their opening wave and logins at Keycloak parameters',
    );
    const sections = [
      await profileRoutes({ routes: ['check', 'me', 'recipe', 'overload', 'wave'], seconds: PLAN.guard, top: 15 }),
      await profileRoutes({
        routes: ['login'],
        seconds: PLAN.login,
        top: 15,
        env: KEYCLOAK_ARGON2,
        label: KEYCLOAK_LABEL,
      }),
    ];
    if (MYSQL_URL) {
      // /auth/check reads no database: on MariaDB the routes that do (and the overload) are profiled again, with the
      // database server's CPU beside the app's.
      log('the same on MariaDB: /users/me, 256 concurrent logins, their opening wave, logins at Keycloak parameters');
      sections.push(
        await withMysqlDatabase(MYSQL_URL, async ({ url: databaseUrl }) =>
          [
            await profileRoutes({
              routes: ['me', 'overload', 'wave'],
              seconds: PLAN.guard,
              top: 15,
              databaseUrl,
              label: ', MariaDB',
            }),
            await profileRoutes({
              routes: ['login'],
              seconds: PLAN.login,
              top: 15,
              env: KEYCLOAK_ARGON2,
              databaseUrl,
              label: `${KEYCLOAK_LABEL}, MariaDB`,
            }),
          ].join('\n\n'),
        ),
      );
    }
    profile = sections.join('\n\n');
  }
  const run = {
    profile,
    features: featurePrices,
    quick: QUICK,
    plan: PLAN,
    argv,
    mysqlVersion,
    results,
    elapsed: (Date.now() - started) / 1000,
    date: new Date().toISOString(),
    settings: {
      GUARD_CONNECTIONS,
      LOGIN_CONNECTIONS,
      REFRESH_CONNECTIONS,
      OVERLOAD_LEVELS,
      HASH_CONCURRENCY,
      HASH_QUEUE_MAX,
    },
  };
  // Kept so that `--report-only` can render the template again (its prose edited) from this run's measurements.
  mkdirSync(dirname(LAST_RUN), { recursive: true });
  writeFileSync(LAST_RUN, JSON.stringify(run));
  const { failed } = await writeReport({ ...run, root: ROOT });
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote docs/BENCHMARKS.md and docs/benchmarks.svg`);
  if (failed.length > 0) {
    log(`targets missed (see docs/BENCHMARKS.md): ${failed.join('; ')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
