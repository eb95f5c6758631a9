#!/usr/bin/env node
// Issue 29: where a request's garbage comes from. Starts the built app (the bench's env, NODE_ENV=test, docs and demo
// off, as the feature table runs it) and the NestJS recipe on Fastify under V8's sampling heap profiler
// (bench/lib/profiled.mjs with PROFILE_KIND=heap, which keeps the objects young-generation collections freed),
// sends each the same number of `/auth/check` (the recipe's `/check`) requests at 16 connections after a warm-up,
// and prints the bytes allocated per request by function: each server's largest sites, then the sites where the
// app allocates most beyond the recipe. Sampling every 256 bytes, so small figures are estimates.
// Usage (after npm run build): node bench/allocation-sites.mjs [requests, default 20000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API, appEnv, makeDataDir, registerUser } from './lib/app.mjs';
import { RECIPE_SECRET, recipeAuthorization } from './lib/baselines.mjs';
import { load } from './lib/load.mjs';
import { startServer, waitForOutput } from './lib/servers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = Number(process.argv[2] ?? 20000);
const wrapper = join(ROOT, 'bench/lib/profiled.mjs');

/** Bytes per request by `function file:line`, from a sampling heap profile of `requests` requests. */
function bytesBySite(file, requests) {
  const sites = new Map();
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
    const site = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    sites.set(site, (sites.get(site) ?? 0) + node.selfSize / requests);
    node.children.forEach(walk);
  };
  walk(JSON.parse(readFileSync(file, 'utf8')).head);
  return sites;
}

async function sample({ name, script, env, readyPath, path, headers, out }) {
  const server = await startServer({
    name,
    script: wrapper,
    args: [script],
    env: { ...env, PROFILE_KIND: 'heap', PROFILE_OUT: out },
    readyPath,
  });
  try {
    const target = { url: server.url, path, headers: await headers(server), connections: 16, duration: 600 };
    await load({ ...target, amount: 5000 });
    process.kill(server.pid, 'SIGWINCH');
    await waitForOutput(server, 'profile started', 60_000);
    const r = await load({ ...target, amount: REQUESTS });
    process.kill(server.pid, 'SIGWINCH');
    await waitForOutput(server, 'profile written', 60_000);
    return bytesBySite(out, r.total);
  } finally {
    await server.stop();
  }
}

const total = (sites) => [...sites.values()].reduce((a, b) => a + b, 0);
const rows = (entries, n) =>
  entries
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([site, bytes]) => `${bytes.toFixed(0).padStart(8)} B  ${site}`)
    .join('\n');

const data = makeDataDir();
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-alloc-'));
try {
  const env = { ...appEnv('', data.dir), NODE_ENV: 'test', DOCS_ENABLED: 'false', DEMO_ENABLED: 'false' };
  const app = await sample({
    name: 'gatehouse',
    script: join(ROOT, 'dist/src/main.js'),
    env,
    readyPath: '/health/live',
    path: `${API}/auth/check`,
    headers: async (s) => ({
      authorization: `Bearer ${(await registerUser(s, `bench_alloc_${Date.now()}`)).access_token}`,
    }),
    out: join(dir, 'gatehouse.heapprofile'),
  });
  const recipe = await sample({
    name: 'nest-fastify-passport',
    script: join(ROOT, 'bench/baselines/nest-fastify-passport.mjs'),
    env: { BASELINE_JWT_SECRET: RECIPE_SECRET },
    readyPath: '/health',
    path: '/check',
    headers: async () => recipeAuthorization(),
    out: join(dir, 'recipe.heapprofile'),
  });
  console.log(`Gatehouse /auth/check: ${(total(app) / 1024).toFixed(1)} KiB allocated per request\n`);
  console.log(rows([...app], 25));
  console.log(`\nNestJS recipe on Fastify /check: ${(total(recipe) / 1024).toFixed(1)} KiB per request\n`);
  console.log(rows([...recipe], 15));
  const beyond = [...app].map(([site, bytes]) => [site, bytes - (recipe.get(site) ?? 0)]);
  console.log(`\nWhere Gatehouse allocates most beyond the recipe (bytes per request, app − recipe):\n`);
  console.log(rows(beyond, 20));
} finally {
  data.remove();
  rmSync(dir, { recursive: true, force: true });
}
