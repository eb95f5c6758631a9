#!/usr/bin/env node
// Issue 29: how much a request allocates, with the hot routes' compiled response schemas and without
// (BENCH_DISABLE=compiled-responses, JSON.stringify as before). V8 runs a young-generation collection (a scavenge)
// each time the new space fills; with the semi-space pinned to 1 MiB, scavenges per request × 1 MiB is the bytes a
// request allocates (what survives a scavenge is small here and counted the same in both builds). A count of
// collections does not depend on what else shares the machine, unlike throughput.
// Usage (after npm run build): node bench/allocations.mjs [requests per route, default 20000]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API, appEnv, makeDataDir, registerUser, startApp } from './lib/app.mjs';
import { load } from './lib/load.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = Number(process.argv[2] ?? 20000);
const SEMI_SPACE_MIB = 1;

async function measure(env, label, access) {
  let scavenges = 0;
  const app = await startApp(ROOT, env, {
    execArgv: ['--trace-gc', `--min-semi-space-size=${SEMI_SPACE_MIB}`, `--max-semi-space-size=${SEMI_SPACE_MIB}`],
    onOutput: (text) => {
      scavenges += text.match(/Scavenge/g)?.length ?? 0;
    },
  });
  try {
    const token = access ?? (await registerUser(app, `bench_alloc_${Date.now()}`)).access_token;
    const headers = { authorization: `Bearer ${token}` };
    const out = {};
    for (const route of ['/auth/check', '/users/me']) {
      // `amount` ends each run; autocannon still asks for a duration, an upper bound here.
      const target = { url: app.url, path: `${API}${route}`, headers, connections: 16, duration: 600 };
      await load({ ...target, amount: 2000 });
      const before = scavenges;
      const r = await load({ ...target, amount: REQUESTS });
      // --trace-gc writes a line per collection; give the last lines time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const perRequestKiB = ((scavenges - before) * SEMI_SPACE_MIB * 1024) / r.total;
      out[route] = { scavenges: scavenges - before, requests: r.total, perRequestKiB };
      console.log(
        `${label} ${route}: ${scavenges - before} scavenges over ${r.total} requests ≈ ${perRequestKiB.toFixed(2)} KiB per request`,
      );
    }
    return { token, out };
  } finally {
    await app.stop();
  }
}

const data = makeDataDir();
try {
  const env = { ...appEnv('', data.dir), NODE_ENV: 'test', DOCS_ENABLED: 'false', DEMO_ENABLED: 'false' };
  const { token } = await measure({ ...env, BENCH_DISABLE: 'compiled-responses' }, 'JSON.stringify', undefined);
  await measure(env, 'compiled schema', token);
} finally {
  data.remove();
}
