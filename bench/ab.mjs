#!/usr/bin/env node
// A/B of builds: `node bench/ab.mjs before=<dir> after=<dir> [--route check,me] [--rounds 5] [--seconds 5]`.
// Each <dir> holds a `dist/` (a copy of an earlier `npm run build`, e.g. `node_modules/.cache/ab/<name>/dist`) or is
// the worktree itself ('.'). Every build and the NestJS recipe on Fastify run side by side, alternating in each round;
// the report is each build ÷ the recipe and after ÷ before, medians of per-round ratios (one run, same machine state).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { API, appEnv, makeDataDir, registerUser } from './lib/app.mjs';
import { load, median } from './lib/load.mjs';
import { cpuTicks, settle, startServer } from './lib/servers.mjs';

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
const variants = argv
  .filter((a, i) => a.includes('=') && !argv[i - 1]?.startsWith('--'))
  .map((a) => {
    const [name, dir] = a.split('=');
    return { name, dir: resolve(ROOT, dir) };
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

async function main() {
  const data = makeDataDir();
  const servers = [];
  try {
    const targets = {};
    for (const v of variants) {
      prepare(v.dir);
      const server = await startServer({
        name: v.name,
        script: join(v.dir, 'dist/src/main.js'),
        env: appEnv('', makeDataDir().dir),
        readyPath: '/health/live',
      });
      servers.push(server);
      const { access_token: access } = await registerUser(server, `ab_${v.name}`);
      for (const route of ROUTES) {
        targets[`${v.name} ${route}`] = {
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
      await load({ ...targets[name], connections: CONNECTIONS, duration: 2 });
      await settle(targets[name].pid);
    }
    const results = Object.fromEntries(names.map((n) => [n, []]));
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names.map((_, i) => names[(i + round) % names.length])) {
        const before = cpuTicks(targets[name].pid);
        const r = await load({ ...targets[name], connections: CONNECTIONS, duration: SECONDS });
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
