#!/usr/bin/env node
// CPU profiles of the hot path: `node bench/profile.mjs [--seconds 10] [--out dir]
// [--route check,me,login,overload,wave,recipe] [--mysql]`.
// Starts the built app (production, LOG_LEVEL=warn, the bench's env) and the NestJS recipe on Fastify, each under
// the V8 sampling profiler (bench/lib/profiled.mjs), warms them up, then profiles a fixed-length autocannon run
// against each in turn and prints self time by package and by function, per request. Run `npm run build` first.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { API, appEnv, makeDataDir, PASSWORD, registerUser } from './lib/app.mjs';
import { readProfile, summarize, table } from './lib/cpuprofile.mjs';
import { load, openingWave, politeClients, waveFloor } from './lib/load.mjs';
import { withMysqlDatabase } from './lib/mysql.mjs';
import { cpuShare, databaseServerPid, settle, startServer, waitForOutput } from './lib/servers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const CLI = import.meta.url === `file://${process.argv[1]}`;
const SECRET = 'secretKey';
const log = (...parts) => console.error(`[profile ${new Date().toISOString().slice(11, 19)}]`, ...parts);

const wrapper = join(ROOT, 'bench/lib/profiled.mjs');

/**
 * Warm-up, then one profiled run; answers the load's result, the profile's summary and where the machine's CPU went
 * during the run (the server's event loop and other threads, the database server, the load generator).
 */
async function profileRun(server, target, file, SECONDS, databasePid) {
  // The wave's warm-up is the bench's -c 64 level: the login path warm, the queue drained before the wave.
  await (target.wave ? politeClients({ ...target, connections: 64, duration: 3 }) : load({ ...target, duration: 3 }));
  await settle(server.pid);
  if (!server.alive()) {
    throw new Error(`${server.name} died:\n${server.output()}`);
  }
  process.kill(server.pid, 'SIGWINCH');
  await waitForOutput(server, 'profile started');
  // V8 finishes starting the profiler on the event loop after the reply (~200 ms of `dispatch` here): the load
  // starts after it, or the first requests would wait on the measurement.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const cpu = cpuShare(server.pid, databasePid);
  const refusedBefore = target.wave ? await serverDurations(target.url, target.path, 503) : null;
  const r = target.wave
    ? await openingWave(target)
    : target.polite
      ? await politeClients({ ...target, duration: SECONDS })
      : await load({ ...target, duration: SECONDS });
  const share = cpu.stop();
  if (target.wave) {
    r.serverRefusals = durationLine(refusedBefore, await serverDurations(target.url, target.path, 503));
  }
  process.kill(server.pid, 'SIGWINCH');
  await waitForOutput(server, `profile written ${file}`);
  return { run: r, summary: summarize(readProfile(file)), share };
}

/**
 * The app's own `http_request_duration_seconds` buckets (cumulative counts by upper bound) of `POST <path>` answered
 * with `status`, read from its `/metrics`: how long the server itself took, from the request's arrival to its answer.
 */
async function serverDurations(url, path, status) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map();
  for (const line of text.split('\n')) {
    if (
      line.startsWith('http_request_duration_seconds_bucket{') &&
      line.includes('method="POST"') &&
      line.includes(`route="${path}"`) &&
      line.includes(`status_code="${status}"`)
    ) {
      buckets.set(/le="([^"]+)"/.exec(line)[1], Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
  }
  return buckets;
}

/** "n within 5 ms, …" from two readings of `serverDurations`. */
function durationLine(before, after) {
  const parts = [];
  const total = (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0);
  for (const [le, count] of after) {
    const n = count - (before.get(le) ?? 0);
    if (le === '+Inf') {
      break;
    }
    parts.push(`${n} within ${Number(le) * 1000} ms`);
    if (n === total) {
      break;
    }
  }
  return `${parts.join(', ')} (of ${total})`;
}

/** The same opening wave against bare Fastify: what opening that many connections at once costs on this machine. */
async function bareWave(connections) {
  const bare = await startServer({
    name: 'bare-fastify',
    script: join(ROOT, 'bench/baselines/bare-fastify.mjs'),
    readyPath: '/ping',
  });
  try {
    return await waveFloor(bare.url, connections);
  } finally {
    await bare.stop();
  }
}

/** The answers by status, with their latencies (for the wave, counted from the moment all clients started). */
function statusLine(latencyByStatus, wave) {
  const parts = Object.entries(latencyByStatus).map(
    ([status, l]) =>
      `${status} ×${l.count} (p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms` +
      `${wave ? `, first at ${l.min.toFixed(0)} ms` : ''})`,
  );
  return `Answers by status: ${parts.join(', ')}.`;
}

/**
 * A table of where the machine's CPU went during the profiled run, per request: what explains a ratio that is
 * missed because something else took the cores (hashing threads, the database server, the load generator).
 */
function shareTable(share, requests, cores) {
  const rows = [
    ['the server: event loop (main thread)', share.eventLoopMs],
    [
      "the server: other threads (libuv's pool: the Argon2 verifies and the lanes they start; V8's helpers; the profiler's sampler)",
      share.otherThreadsMs,
    ],
    ['the database server (mariadbd, same machine)', share.databaseMs],
    ['the load generator (this bench process: autocannon or its own HTTP clients)', share.loadGeneratorMs],
  ].filter(([, ms]) => ms !== null);
  const capacity = share.wallMs * cores;
  const lines = ['| CPU time | share of the machine | µs / request | where |', '|---:|---:|---:|---|'];
  for (const [name, ms] of rows) {
    lines.push(
      `| ${ms.toFixed(0)} ms | ${((ms / capacity) * 100).toFixed(1)} % | ${((ms * 1000) / requests).toFixed(1)} | ${name} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Profiles each route in turn (check, me, login, overload: the app; recipe: the NestJS recipe on Fastify) and
 * answers the markdown of the tables; used by `npm run bench -- --profile` too.
 */
export async function profileRoutes({
  routes = ['check', 'recipe'],
  seconds: SECONDS = 10,
  top: TOP = 20,
  out: OUT = mkdtempSync(join(tmpdir(), 'gatehouse-profile-')),
  env: extraEnv = {},
  /** Added to each section's heading, e.g. the settings `env` changes. */
  label = '',
  /** A MariaDB/MySQL database for the app (empty: SQLite in a temporary folder); its server's CPU is counted. */
  databaseUrl = '',
} = {}) {
  mkdirSync(OUT, { recursive: true });
  const data = makeDataDir();
  const databasePid = databaseUrl ? databaseServerPid() : null;
  const sections = [];
  try {
    for (const route of routes) {
      const file = join(OUT, `${route}.cpuprofile`);
      let server;
      let target;
      if (route === 'recipe') {
        server = await startServer({
          name: 'nest-fastify-passport',
          script: wrapper,
          args: [join(ROOT, 'bench/baselines/nest-fastify-passport.mjs')],
          env: { BASELINE_JWT_SECRET: SECRET, PROFILE_OUT: file },
          readyPath: '/health',
        });
        const token = jwt.sign({ sub: '1', sid: 'bench-session' }, SECRET, { expiresIn: '1h' });
        target = { url: server.url, path: '/check', connections: 64, headers: { authorization: `Bearer ${token}` } };
      } else {
        server = await startServer({
          name: 'gatehouse',
          script: wrapper,
          args: [join(ROOT, 'dist/src/main.js')],
          env: { ...appEnv(databaseUrl, data.dir), ...extraEnv, PROFILE_OUT: file },
          readyPath: '/health/live',
        });
        const username = `profile_${route}_${Date.now()}`;
        const { access_token: access } = await registerUser(server, username);
        target =
          route === 'overload' || route === 'wave'
            ? {
                url: server.url,
                path: `${API}/auth/login`,
                body: { username, password: PASSWORD },
                connections: 256,
                polite: route === 'overload',
                wave: route === 'wave',
              }
            : route === 'login'
              ? {
                  url: server.url,
                  path: `${API}/auth/login`,
                  method: 'POST',
                  body: { username, password: PASSWORD },
                  connections: 16,
                }
              : {
                  url: server.url,
                  path: route === 'me' ? `${API}/users/me` : `${API}/auth/check`,
                  connections: 64,
                  headers: { authorization: `Bearer ${access}` },
                };
      }
      try {
        log(`${route}: warm-up 3 s, then ${target.wave ? 'one wave of 256 logins' : `${SECONDS} s`} profiled`);
        const { run, summary, share } = await profileRun(server, target, file, SECONDS, databasePid);
        if (target.wave) {
          run.floor = await bareWave(target.connections);
        }
        const requests = run.total;
        run.rps ??= requests / SECONDS;
        if (target.polite || target.wave) {
          log(`${route}: by status ${JSON.stringify(run.latencyByStatus)}`);
        }
        log(
          `${route}: ${run.rps.toFixed(0)} req/s, ${((summary.busyMs * 1000) / requests).toFixed(0)} µs busy/request`,
        );
        sections.push(
          [
            target.wave
              ? `### ${route}${label} (${target.path}: ${target.connections} clients send at once, once each, after a -c 64 warm-up)`
              : `### ${route}${label} (${target.path}, -c ${target.connections}, ${SECONDS} s)`,
            '',
            ...(target.polite || target.wave ? [statusLine(run.latencyByStatus, target.wave), ''] : []),
            ...(target.wave
              ? [
                  `The load generator took ${run.sentMs.toFixed(0)} ms of its event loop to open the ${target.connections} ` +
                    'connections and start the requests. The refusals as the app itself timed them, from arrival to ' +
                    `answer (its \`http_request_duration_seconds\`): ${run.serverRefusals}. The floor, the same wave of ` +
                    `${target.connections} new connections against bare Fastify (\`POST /ping\`, answered 404 at once, ` +
                    `nothing else running; the second of two waves): p50 ${run.floor.p50.toFixed(0)} ms, ` +
                    `p99 ${run.floor.p99.toFixed(0)} ms, first answer at ${run.floor.min.toFixed(0)} ms.`,
                  '',
                ]
              : []),
            `${requests} requests (${run.rps.toFixed(0)} req/s while profiled); main thread busy ${summary.busyMs.toFixed(0)} ms ` +
              `= ${((summary.busyMs * 1000) / requests).toFixed(0)} µs per request (the profiler's own start and stop, ` +
              `${summary.profilerMs.toFixed(0)} ms, left out). Profile: \`${file}\`.`,
            '',
            `Where the machine's ${availableParallelism()} cores went during the profiled run (CPU time from \`/proc\`, ` +
              'all threads of each process):',
            '',
            shareTable(share, requests, availableParallelism()),
            '',
            'By package (self time of the main thread):',
            '',
            table(summary.packages, TOP, requests),
            '',
            'By function (self time):',
            '',
            table(summary.functions, TOP, requests),
          ].join('\n'),
        );
      } finally {
        await server.stop();
      }
    }
  } finally {
    data.remove();
  }
  const report = sections.join('\n\n');
  writeFileSync(join(OUT, 'profile.md'), `${report}\n`);
  log(`wrote ${join(OUT, 'profile.md')}`);
  return report;
}

if (CLI) {
  // `--mysql`: the app on a fresh MariaDB database at mysql://root@127.0.0.1:3306 (or BENCH_MYSQL_URL)
  const mysqlUrl = process.env.BENCH_MYSQL_URL || (argv.includes('--mysql') ? 'mysql://root@127.0.0.1:3306' : '');
  const profile = (databaseUrl) =>
    profileRoutes({
      routes: opt('route', 'check,recipe').split(','),
      seconds: Number(opt('seconds', '10')),
      top: Number(opt('top', '20')),
      out: opt('out', undefined),
      databaseUrl,
      label: databaseUrl ? ', MariaDB' : '',
      // `--env K=V,K=V`: app settings, e.g. Keycloak's Argon2 parameters for `--route login`
      env: Object.fromEntries(
        opt('env', '')
          .split(',')
          .filter(Boolean)
          .map((kv) => kv.split('=')),
      ),
    });
  (mysqlUrl ? withMysqlDatabase(mysqlUrl, (db) => profile(db.url)) : profile(''))
    .then((report) => console.log(report))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
