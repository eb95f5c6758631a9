#!/usr/bin/env node
// Issue 29: where the instructions of a request go, beside the recipe's. Counts `/auth/check` under callgrind as the
// feature table's instruction pass does (bench/lib/instructions.mjs): the app with every feature on, the app with
// every feature, the global pipe and the guard's steps left out, and the NestJS recipe's `/check`. Then prints, from
// each one's median batch, instructions per request by symbol where the app runs most beyond the recipe. Code V8
// compiled at run time has no symbol valgrind can read: node writes where it put each function
// (--perf-basic-prof-only-functions, /tmp/perf-<pid>.map), and those addresses are named from that map. V8's
// builtins, OpenSSL, libuv and libc keep their own names. Like the price list, the count leaves the collector out.
// Usage (after npm run build): node bench/instruction-sites.mjs [rows, default 25]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appEnv, makeDataDir, registerUser, startApp } from './lib/app.mjs';
import { recipeAuthorization } from './lib/baselines.mjs';
import { ALL_ON, EVERYTHING_AND_PLUMBING, FEATURE_VARIANTS } from './lib/features.mjs';
import { callgrindAvailable, countInstructions } from './lib/instructions.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = Number(process.argv[2] ?? 25);
const RECIPE = 'the recipe';
const JIT = 'JavaScript compiled by V8 (no symbols)';

/** Start, end and name of each function V8 compiled, from node's perf map, sorted by start. */
function perfMap(pid) {
  const file = `/tmp/perf-${pid}.map`;
  if (!existsSync(file)) {
    return [];
  }
  const ranges = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line))
    .filter(Boolean)
    .map(([, start, size, name]) => {
      const from = parseInt(start, 16);
      const where = name
        .replace(/^(JS|LazyCompile|Function):[*~^]?/, '')
        .replace(/\S*node_modules\//, '')
        .replace(/\S*\/dist\//, 'dist/');
      return { from, to: from + parseInt(size, 16), name: where };
    })
    .sort((a, b) => a.from - b.from);
  rmSync(file, { force: true });
  return ranges;
}

/** The function whose code holds `address` (the nearest start at or below it, by binary search). */
function nameAt(ranges, address) {
  let lo = 0;
  let hi = ranges.length - 1;
  let found;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].from <= address) {
      found = ranges[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found && address < found.to ? `${found.name} (JS)` : JIT;
}

/** Instructions per request by symbol, from one callgrind dump (callgrind_annotate's self cost per function). */
function bySymbol({ dump, requests, pid }) {
  const ranges = perfMap(pid);
  const out = spawnSync('callgrind_annotate', ['--threshold=100', '--inclusive=no', dump], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  }).stdout;
  const symbols = new Map();
  for (const line of out.split('\n')) {
    const match = /^\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$/.exec(line);
    if (!match || match[2] === 'PROGRAM TOTALS' || match[2].startsWith('file:function')) {
      continue;
    }
    const where = match[2].replace(/^\?\?\?:/, '');
    const address = /^0x([0-9a-f]+) \[\?\?\?\]$/.exec(where);
    const symbol = where.endsWith('[???]')
      ? address
        ? nameAt(ranges, parseInt(address[1], 16))
        : JIT
      : where
          .replace(/\s*\[[^\]]*\]$/, '')
          .replace(/\(.*$/, '')
          .slice(0, 110);
    symbols.set(symbol, (symbols.get(symbol) ?? 0) + Number(match[1].replaceAll(',', '')) / requests);
  }
  return symbols;
}

function compare(title, app, recipe) {
  const names = new Set([...app.keys(), ...recipe.keys()]);
  const rows = [...names]
    .map((name) => [name, (app.get(name) ?? 0) - (recipe.get(name) ?? 0), app.get(name) ?? 0])
    .sort((a, b) => b[1] - a[1])
    .slice(0, ROWS);
  console.log(`\n${title}: instructions per request, app − recipe (app's own count after it)`);
  for (const [name, more, own] of rows) {
    console.log(`${Math.round(more).toString().padStart(9)} ${Math.round(own).toString().padStart(9)}  ${name}`);
  }
}

if (!callgrindAvailable()) {
  console.error('valgrind and callgrind_control are needed (apt-get install valgrind)');
  process.exit(1);
}
const data = makeDataDir();
const keep = mkdtempSync(join(tmpdir(), 'gatehouse-instruction-sites-'));
try {
  const env = { ...appEnv('', data.dir), NODE_ENV: 'test', DOCS_ENABLED: 'false', DEMO_ENABLED: 'false' };
  // One plain start runs the migrations and registers the caller whose token every variant checks.
  const app = await startApp(ROOT, env);
  const { access_token: token } = await registerUser(app, `bench_sites_${Date.now()}`);
  await app.stop();
  const counts = await countInstructions({
    variants: FEATURE_VARIANTS.filter(([label]) => label === ALL_ON || label === EVERYTHING_AND_PLUMBING),
    env,
    root: ROOT,
    token,
    recipe: {
      label: RECIPE,
      only: [RECIPE],
      headers: recipeAuthorization(),
    },
    plan: { warm: 3000, batch: 1000, settle: 3, batches: 5 },
    log: console.log,
    keep,
    nodeFlags: ['--perf-basic-prof-only-functions'],
  });
  const recipe = bySymbol(counts[RECIPE].median);
  compare('All features on', bySymbol(counts[ALL_ON].median), recipe);
  compare(
    'Every feature, the global pipe and the guard steps left out',
    bySymbol(counts[EVERYTHING_AND_PLUMBING].median),
    recipe,
  );
} finally {
  rmSync(keep, { recursive: true, force: true });
  data.remove();
}
