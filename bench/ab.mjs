#!/usr/bin/env node
// A/B of builds: `node bench/ab.mjs before=<dir> after=<dir> [--route check,me] [--rounds 5] [--seconds 5]`.
// Each <dir> holds a `dist/` (a copy of an earlier `npm run build`, e.g. `node_modules/.cache/ab/<name>/dist`) or is
// the worktree itself ('.'). Every build and the NestJS recipe on Fastify run side by side, alternating in each round;
// the report is each build ÷ the recipe and after ÷ before, medians of per-round ratios (one run, same machine state).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { API, appEnv, makeDataDir, PASSWORD, registerUser } from './lib/app.mjs';
import { load, median, politeClients } from './lib/load.mjs';
import { cpuTicks, sampleRss, settle, startServer } from './lib/servers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const ROUTES = opt('route', 'check').split(',');
const ROUNDS = Number(opt('rounds', '5'));
const SECONDS = Number(opt('seconds', '5'));
const CONNECTIONS = Number(opt('connections', '64'));
/** `--overload 256`: concurrent logins (polite clients, as in run.mjs) instead of the guard routes. */
const OVERLOAD = Number(opt('overload', '0'));
/** `--env K=V,K=V`: extra app settings for every variant (e.g. HASH_CONCURRENCY=1). */
const EXTRA_ENV = Object.fromEntries(
  opt('env', '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('=')),
);
const variants = argv
  .filter((a, i) => a.includes('=') && !argv[i - 1]?.startsWith('--'))
  .map((a) => {
    // name=dir, or name=dir#K=V;K=V for settings of this build alone
    const [spec, extra = ''] = a.split('#');
    const [name, dir] = spec.split('=');
    const env = Object.fromEntries(
      extra
        .split(';')
        .filter(Boolean)
        .map((kv) => kv.split('=')),
    );
    return { name, dir: resolve(ROOT, dir), env };
  });
const SECRET = 'secretKey';
const log = (...parts) => console.error(`[ab ${new Date().toISOString().slice(11, 19)}]`, ...parts);

/** A copy of dist/ resolves `#src/*` through a package.json of its own, and node_modules from the worktree. */
function prepare(dir) {
  if (!existsSync(join(dir, 'dist/src/main.js'))) {
    throw new Error(`${dir}: no dist/src/main.js`);
  }
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ type: 'module', imports: { '#src/*': './dist/src/*' } }, null, 2),
    );
  }
}

/** Concurrent logins against each build in turn: 503 and 200 latency, throughput, peak RSS. */
async function overload() {
  const servers = [];
  try {
    const apps = [];
    for (const v of variants) {
      prepare(v.dir);
      const server = await startServer({
        name: v.name,
        script: join(v.dir, 'dist/src/main.js'),
        env: { ...appEnv('', makeDataDir().dir), ...EXTRA_ENV, ...v.env },
        readyPath: '/health/live',
      });
      servers.push(server);
      const username = `ab_${v.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      await registerUser(server, username);
      if (v.name.endsWith('+nice')) {
        // Experiment: every thread but the event loop's (the hashing thread pool, V8's helpers) at nice 10, so the
        // event loop wins the CPU whenever it has work. Linux applies a nice value per thread.
        for (const tid of readdirSync(`/proc/${server.pid}/task`)) {
          if (Number(tid) !== server.pid) {
            spawnSync('renice', ['-n', '10', '-p', tid]);
          }
        }
      }
      apps.push({ name: v.name, server, body: { username, password: PASSWORD } });
    }
    const rows = Object.fromEntries(apps.map((a) => [a.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const a of apps.map((_, i) => apps[(i + round) % apps.length])) {
        const sampler = sampleRss(a.server.pid);
        const r = await politeClients({
          url: a.server.url,
          path: `${API}/auth/login`,
          body: a.body,
          connections: OVERLOAD,
          duration: SECONDS,
          jitter: Number(opt('jitter', '0')),
        });
        const rss = sampler.stop();
        await settle(a.server.pid);
        const row = {
          okRps: r.okRps,
          okP99: r.latencyByStatus['200']?.p99 ?? NaN,
          n503: r.latencyByStatus['503']?.count ?? 0,
          p99503: r.latencyByStatus['503']?.p99 ?? NaN,
          p50503: r.latencyByStatus['503']?.p50 ?? NaN,
          rss,
        };
        rows[a.name].push(row);
        log(
          `round ${round + 1} ${a.name}: ${row.okRps.toFixed(1)} ok/s, 200 p99 ${row.okP99.toFixed(0)} ms, ` +
            `503 x ${row.n503} p50 ${row.p50503.toFixed(0)} p99 ${row.p99503.toFixed(0)} ms, peak RSS ${rss.toFixed(0)} MiB`,
        );
      }
    }
    const lines = [
      `| build (-c ${OVERLOAD}) | ok/s | 200 p99 ms | 503s | 503 p50 ms | 503 p99 ms | peak RSS MiB |`,
      '|---|---:|---:|---:|---:|---:|---:|',
    ];
    for (const [name, list] of Object.entries(rows)) {
      const m = (k) => median(list.map((r) => r[k]));
      lines.push(
        `| ${name} | ${m('okRps').toFixed(1)} | ${m('okP99').toFixed(0)} | ${m('n503')} | ${m('p50503').toFixed(0)} | ` +
          `${m('p99503').toFixed(0)} | ${Math.max(...list.map((r) => r.rss)).toFixed(0)} |`,
      );
    }
    console.log(lines.join('\n'));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function main() {
  if (OVERLOAD > 0) {
    return overload();
  }
  const data = makeDataDir();
  const servers = [];
  try {
    const targets = {};
    for (const v of variants) {
      prepare(v.dir);
      const server = await startServer({
        name: v.name,
        script: join(v.dir, 'dist/src/main.js'),
        env: { ...appEnv('', makeDataDir().dir), ...EXTRA_ENV, ...v.env },
        readyPath: '/health/live',
      });
      servers.push(server);
      const { access_token: access } = await registerUser(server, `ab_${v.name}`);
      for (const route of ROUTES) {
        targets[`${v.name} ${route}`] =
          route === 'login'
            ? {
                pid: server.pid,
                url: server.url,
                path: `${API}/auth/login`,
                method: 'POST',
                body: { username: `ab_${v.name}`, password: PASSWORD },
                connections: 16,
              }
            : {
                pid: server.pid,
                url: server.url,
                path: `${API}/${route === 'me' ? 'users/me' : 'auth/check'}`,
                headers: { authorization: `Bearer ${access}` },
              };
      }
    }
    const recipe = await startServer({
      name: 'recipe',
      script: join(ROOT, 'bench/baselines/nest-fastify-passport.mjs'),
      env: { BASELINE_JWT_SECRET: SECRET },
      readyPath: '/health',
    });
    servers.push(recipe);
    const token = jwt.sign({ sub: '1', sid: 's' }, SECRET, { expiresIn: '1h' });
    targets.recipe = {
      pid: recipe.pid,
      url: recipe.url,
      path: '/check',
      headers: { authorization: `Bearer ${token}` },
    };
    const names = Object.keys(targets);
    for (const name of names) {
      await load({ connections: CONNECTIONS, ...targets[name], duration: 2 });
      await settle(targets[name].pid);
    }
    const results = Object.fromEntries(names.map((n) => [n, []]));
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names.map((_, i) => names[(i + round) % names.length])) {
        const before = cpuTicks(targets[name].pid);
        const r = await load({ connections: CONNECTIONS, ...targets[name], duration: SECONDS });
        // CPU time per answer: far less disturbed than throughput by other work sharing the machine.
        const cpuUs = ((cpuTicks(targets[name].pid) - before) * 10_000) / r.total;
        await settle(targets[name].pid);
        results[name].push(r.okRps);
        cpu[name].push(cpuUs);
        log(`round ${round + 1} ${name}: ${r.okRps.toFixed(0)} ok/s, ${cpuUs.toFixed(0)} µs CPU/request`);
      }
    }
    const ratio = (a, b) => median(results[a].map((x, i) => x / results[b][i]));
    // Throughput ratio a/b, and the CPU-time ratio b/a (the same direction: above 1 means a is cheaper).
    const cpuRatio = (a, b) => median(cpu[b].map((x, i) => x / cpu[a][i]));
    const lines = [
      '| target | ok req/s | ÷ recipe (req/s) | CPU µs/request | recipe ÷ this (CPU) |',
      '|---|---:|---:|---:|---:|',
    ];
    for (const name of names) {
      lines.push(
        `| ${name} | ${median(results[name]).toFixed(0)} | ${ratio(name, 'recipe').toFixed(2)} | ` +
          `${median(cpu[name]).toFixed(0)} | ${cpuRatio(name, 'recipe').toFixed(2)} |`,
      );
    }
    if (variants.length >= 2) {
      for (const route of ROUTES) {
        const [a, b] = [`${variants[0].name} ${route}`, `${variants.at(-1).name} ${route}`];
        lines.push(`| ${b} ÷ ${a} | | ${ratio(b, a).toFixed(2)} | | ${cpuRatio(b, a).toFixed(2)} |`);
      }
    }
    console.log(lines.join('\n'));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    data.remove();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
