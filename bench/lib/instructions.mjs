// Issue 29: the feature price list in instructions, which the machine's noise does not move. The CPU-time table
// (features.mjs) measured two identical all-on processes ±60 µs apart even on an idle, freshly booted machine, more
// than any single feature costs, so it could not say which feature explains the gap. Here every variant runs under
// valgrind's callgrind, which counts the instructions the process executes (all threads) whatever else the machine
// is doing. V8 runs with --single-threaded (no background compiler or GC threads) so that the same program counts the
// same: a script run twice that way differed by 0.3 %.
//
// Per server: started with instrumentation off (so the start takes seconds, not minutes), warmed with real load until
// V8 has compiled the route, run instrumented until the count per batch settles, then counted over batches of
// requests; the figure is the median batch's instructions per request. A batch that holds a full mark-compact or a late recompile counts up to twice the others, so the median,
// not the mean: the allocation profile (bench/allocation-sites.mjs) prices what a feature costs the collector.
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

async function countOne(target, plan, dir, index) {
  const out = join(dir, `callgrind.${index}`);
  const server = await target.start({
    wrapper: [
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${out}`,
      // Not counted: full mark-compact pauses (all marking is in them with --no-incremental-marking) and optimising
      // compiles. Both come every few thousand requests whatever the route, and one of them in a batch of a thousand
      // doubled its count. Scavenges, whose cost follows what each request allocates, are counted.
      '--toggle-collect=v8::internal::Heap::MarkCompact*',
      '--toggle-collect=v8::internal::Compiler::CompileOptimized*',
      // After the toggles, or they turn it to no: counted from the start, except inside the two above.
      '--collect-atstart=yes',
    ],
    execArgv: ['--single-threaded', '--no-incremental-marking'],
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
      batches.push(dumpTotal(`${out}.${b}`) / requests);
    }
    return batches;
  } finally {
    await server.stop();
  }
}

/**
 * Counts instructions per request for each of `variants` ([label, BENCH_DISABLE]) of the app serving `/auth/check`,
 * then the NestJS recipe and bare Fastify, as many at a time as there are cores (each valgrind runs one thread).
 * Answers label → { perRequest (median), batches }.
 */
export async function countInstructions({ variants, env, root, token, recipe, plan, log }) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-callgrind-'));
  const baselines = baselineServers(root, { nestSecret: recipe.secret });
  const serve = (options) => (run) => startServer({ ...options, ...run, env: { ...options.env, ...run.env } });
  const targets = [
    ...variants.map(([label, disable]) => ({
      label,
      path: `${API}/auth/check`,
      headers: { authorization: `Bearer ${token}` },
      start: ({ env: runEnv, ...run }) => startApp(root, { ...env, BENCH_DISABLE: disable, ...runEnv }, run),
    })),
    { label: recipe.label, path: '/check', headers: recipe.headers, start: serve(baselines.recipe) },
    { label: recipe.bareLabel, path: '/ping', headers: {}, start: serve(baselines.bare) },
  ];
  const results = {};
  try {
    let next = 0;
    const worker = async () => {
      while (next < targets.length) {
        const index = next++;
        const target = targets[index];
        const batches = await countOne(target, plan, dir, index);
        results[target.label] = { perRequest: median(batches), batches };
        log(`  instructions: ${target.label}: ${Math.round(median(batches)).toLocaleString('en')} per request`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
