// Issue 29: the feature price list in instructions, which the machine's noise does not move. The CPU-time table
// (features.mjs) measured two identical all-on processes ±60 µs apart even on an idle, freshly booted machine, more
// than any single feature costs, so it could not say which feature explains the gap. Here every variant runs under
// valgrind's callgrind, which counts the instructions the process executes (all threads) whatever else the machine
// is doing. V8 runs with --single-threaded (no background compiler or GC threads) so that the same program counts the
// same: a script run twice that way differed by 0.3 %.
//
// Per server: started with instrumentation off (so the start takes seconds, not minutes), warmed with real load until
// V8 has compiled the route, run instrumented until the count per batch settles, then counted over batches of
// requests; the figure is the median batch's instructions per request.
//
// The garbage collector and the optimising compiler are not counted (--toggle-collect): a full mark-compact or a late
// recompile in a batch of a thousand requests doubled its count, and whether a batch held two scavenges or three moved
// it by 8 %. What is counted is the work the request's own code does; what a feature costs the collector follows the
// bytes it allocates, which bench/allocation-sites.mjs prices, and the CPU-time table includes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineServers } from './baselines.mjs';
import { API, startApp } from './app.mjs';
import { load, median } from './load.mjs';
import { startServer } from './servers.mjs';

const CONNECTIONS = 8;
const START_TIMEOUT_MS = 600_000;
/**
 * valgrind names the FIFOs callgrind_control talks through after the user and host variables of the process, and the
 * app's HOST is its listen address (startServer sets 127.0.0.1): both sides get the same values.
 */
const VGDB_ENV = { USER: 'bench', LOGNAME: 'bench', HOST: '127.0.0.1' };

/** Whether valgrind and callgrind_control can run here; the table is left out of a run without them. */
export function callgrindAvailable() {
  const ok = (command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
  return ok('valgrind') && ok('callgrind_control');
}

function control(pid, ...args) {
  execFileSync('callgrind_control', [...args, String(pid)], {
    env: { PATH: process.env.PATH, ...VGDB_ENV },
    stdio: 'ignore',
  });
}

/** The instruction total of a callgrind dump file (its `summary:` line). */
function dumpTotal(file) {
  const match = /^summary: (\d+)$/m.exec(readFileSync(file, 'utf8'));
  if (!match) {
    throw new Error(`${file}: no summary line`);
  }
  return Number(match[1]);
}

/** A fixed number of requests, every one of which must answer 2xx. */
async function send(target, url, amount) {
  const r = await load({ ...target, url, connections: CONNECTIONS, duration: 3600, amount });
  if (r.ok !== r.total || r.total < amount) {
    throw new Error(`${target.label}: ${r.ok} of ${amount} answers were 2xx`);
  }
  return r.total;
}

async function countOne(target, plan, dir, index, nodeFlags) {
  const out = join(dir, `callgrind.${index}`);
  const server = await target.start({
    wrapper: [
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${out}`,
      // Not counted: every collection (scavenges and mark-compacts both run inside CollectGarbage; with
      // --no-incremental-marking no marking happens outside it) and optimising compiles. A toggle nested in another
      // would count again, so there are two, and they do not call each other on the request path.
      '--toggle-collect=v8::internal::Heap::CollectGarbage*',
      '--toggle-collect=v8::internal::Compiler::CompileOptimized*',
      // After the toggles, or they turn it to no: counted from the start, except inside the two above.
      '--collect-atstart=yes',
    ],
    execArgv: ['--single-threaded', '--no-incremental-marking', ...nodeFlags],
    timeoutMs: START_TIMEOUT_MS,
    env: VGDB_ENV,
  });
  try {
    await send(target, server.url, plan.warm);
    control(server.pid, '--instr=on');
    // Instrumented, the process runs some fifty times slower, and V8's heap heuristics, which go by allocation per
    // millisecond, take it for idle: the first thousands of requests after the switch carry extra full collections
    // (bare Fastify counted 222,000 instructions per request in the first batch, 59,000 from the fourth on).
    for (let b = 0; b < plan.settle; b++) {
      await send(target, server.url, plan.batch);
    }
    const batches = [];
    for (let b = 1; b <= plan.batches; b++) {
      control(server.pid, '--zero');
      const requests = await send(target, server.url, plan.batch);
      control(server.pid, '--dump');
      batches.push({ perRequest: dumpTotal(`${out}.${b}`) / requests, dump: `${out}.${b}`, requests, pid: server.pid });
    }
    return batches;
  } finally {
    await server.stop();
  }
}

/**
 * Counts instructions per request for each of `variants` ([label, BENCH_DISABLE]) of the app serving `/auth/check`,
 * then the NestJS recipe and bare Fastify (or only those of `recipe.only`), as many at a time as there are cores
 * (each valgrind runs one thread). Answers label → { perRequest (median), batches, median batch's dump }; the dumps
 * are kept in `keep` when given, removed otherwise. `nodeFlags` go to every server's node.
 */
export async function countInstructions({ variants, env, root, token, recipe, plan, log, keep, nodeFlags = [] }) {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'gatehouse-callgrind-'));
  const baselines = baselineServers(root);
  const serve = (options) => (run) => startServer({ ...options, ...run, env: { ...options.env, ...run.env } });
  const references = [
    { label: recipe.label, path: '/check', headers: recipe.headers, start: serve(baselines.recipe) },
    { label: recipe.bareLabel, path: '/ping', headers: {}, start: serve(baselines.bare) },
  ].filter((t) => !recipe.only || recipe.only.includes(t.label));
  const targets = [
    ...variants.map(([label, disable]) => ({
      label,
      path: `${API}/auth/check`,
      headers: { authorization: `Bearer ${token}` },
      start: ({ env: runEnv, ...run }) => startApp(root, { ...env, BENCH_DISABLE: disable, ...runEnv }, run),
    })),
    ...references,
  ];
  const results = {};
  try {
    let next = 0;
    const worker = async () => {
      while (next < targets.length) {
        const index = next++;
        const target = targets[index];
        const counted = await countOne(target, plan, dir, index, nodeFlags);
        const batches = counted.map((b) => b.perRequest);
        const perRequest = median(batches);
        results[target.label] = { perRequest, batches, median: counted.find((b) => b.perRequest === perRequest) };
        log(`  instructions: ${target.label}: ${Math.round(perRequest).toLocaleString('en')} per request`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
    return results;
  } finally {
    if (!keep) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
