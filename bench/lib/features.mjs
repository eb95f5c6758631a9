// Issue 29: what each feature of the guard path costs. One app process per variant — all features on, each one left
// out with BENCH_DISABLE (read once at start: the feature is not registered, no request asks), everything left out —
// beside bare Fastify and the NestJS recipe, all driven with GET /auth/check (or the recipe's /check) in alternating
// rounds. The figure is the server's CPU time per request (all threads, from the kernel's schedstat), which depends
// far less than throughput on what else shares the machine.
//
// Two things made the first tables contradict themselves (every feature left out cost more than none): a process is
// not warm after one load (V8 still compiles and grows its heap, on helper threads the figure counts), and a process
// that sat idle for minutes while the others were warmed pays that again in its first round. So the warm-up is whole
// rounds in the same rotation as the measured ones (every process sees the same idle gaps), and a second all-on
// process runs as a control: two identical processes differ by the noise, and a row that saves less than that is
// reported as within it, not as a price.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { API, registerUser, startApp } from './app.mjs';
import { callgrindAvailable, countInstructions } from './instructions.mjs';
import { load, median } from './load.mjs';
import { cpuNs, pinCpus, settle } from './servers.mjs';

/** [row label, BENCH_DISABLE value]; the names are those src/config/bench.config.ts accepts. */
const HOOKS = [
  'hook:request-log-onsend',
  'hook:request-log-onresponse',
  'hook:closing-onsend',
  'hook:refuse-while-closing',
  'hook:hash-queue-gate',
];
/** SPEC features the recipe lacks. */
const FEATURES = [
  'envelope',
  'request-id',
  'security-headers',
  'claim-checks',
  'revocation',
  'metrics',
  'logging',
  ...HOOKS,
];
/** Not features of their own but the app's plumbing on the route: what the recipe's one guard and no pipe skip. */
const PLUMBING = ['validation-pipe', 'guard-steps'];
export const EVERYTHING = 'every feature above';
export const EVERYTHING_AND_PLUMBING = 'every feature, the global pipe and the guard steps';
export const ALL_ON = 'all features on';
export const CONTROL = 'all features on, a second process (control)';
const RECIPE = 'NestJS recipe on Fastify';
const BARE = 'bare Fastify';
export const FEATURE_VARIANTS = [
  [ALL_ON, ''],
  [CONTROL, ''],
  ['envelope', 'envelope'],
  ['compiled response schema (JSON.stringify instead)', 'compiled-responses'],
  ['request id', 'request-id'],
  ['security headers', 'security-headers'],
  ['claim checks', 'claim-checks'],
  ['revocation lookup', 'revocation'],
  ['metrics (onResponse hook)', 'metrics'],
  ['logging (logger + both hooks)', 'logging'],
  ["global validation pipe (run on the route's custom parameter)", 'validation-pipe'],
  ['guard steps after authentication (IP allow-list, roles, module steps)', 'guard-steps'],
  ['hook: request log, onSend', 'hook:request-log-onsend'],
  ['hook: request log, onResponse', 'hook:request-log-onresponse'],
  ['hook: connection: close while closing, onSend', 'hook:closing-onsend'],
  ['hook: 503 while closing, onRequest', 'hook:refuse-while-closing'],
  ['hook: hashing queue gate, onRequest', 'hook:hash-queue-gate'],
  ['every Fastify hook (incl. metrics, headers)', [...HOOKS, 'metrics', 'request-id', 'security-headers'].join(',')],
  [EVERYTHING, FEATURES.join(',')],
  [EVERYTHING_AND_PLUMBING, [...FEATURES, ...PLUMBING].join(',')],
];

/**
 * `env` is the bench's production env; BENCH_DISABLE is refused in production, so every variant (all-on included,
 * to compare like with like) runs as NODE_ENV=test with the docs and demo page off, as production has them.
 */
export async function featureScenario({ env, base, plan, log, connections }) {
  const testEnv = { ...env, NODE_ENV: 'test', DOCS_ENABLED: 'false', DEMO_ENABLED: 'false' };
  const apps = [];
  let unpin = () => {};
  try {
    for (const [label, disable] of FEATURE_VARIANTS) {
      // One after the other: they share one SQLite file, and its migrations take one lock.
      apps.push({ label, disable, app: await startApp(plan.root, { ...testEnv, BENCH_DISABLE: disable }) });
    }
    const { access_token: access } = await registerUser(apps[0].app, `bench_features_${Date.now()}`);
    const auth = { authorization: `Bearer ${access}` };
    const targets = [
      ...apps.map(({ label, app }) => ({
        label,
        pid: app.pid,
        url: app.url,
        path: `${API}/auth/check`,
        headers: auth,
      })),
      {
        label: RECIPE,
        pid: base.recipe.pid,
        url: base.recipe.url,
        path: '/check',
        headers: base.recipeAuth,
      },
      { label: BARE, pid: base.bare.pid, url: base.bare.url, path: '/ping', headers: {} },
    ];
    // Every server on the first core, this process (the load generator) on the second, for the rounds only, so the
    // load generator's work never lands on the measured server's core mid-round. (Whether that lowers the noise was
    // not shown: the run of 2026-12-07 measured ±59 µs pinned, on a machine that had shown ±23 unpinned that morning.)
    const all = `0-${availableParallelism() - 1}`;
    const pinned =
      availableParallelism() >= 2 &&
      pinCpus(
        targets.map((t) => t.pid),
        '0',
      ) &&
      pinCpus([process.pid], '1');
    if (pinned) {
      unpin = () => pinCpus([...targets.map((t) => t.pid), process.pid], all);
    }
    log(
      pinned
        ? '  features: servers pinned to CPU 0, the load generator to CPU 1'
        : '  features: not pinned (no taskset)',
    );
    const perRequest = Object.fromEntries(targets.map((t) => [t.label, []]));
    const rps = Object.fromEntries(targets.map((t) => [t.label, []]));
    for (let round = -plan.warmRounds; round < plan.rounds; round++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + round + plan.warmRounds) % targets.length];
        const before = cpuNs(t.pid);
        const r = await load({ ...t, connections, duration: plan.seconds });
        const usPerRequest = (cpuNs(t.pid) - before) / 1000 / Math.max(1, r.total);
        if (r.ok !== r.total) {
          throw new Error(`${t.label}: ${r.total - r.ok} of ${r.total} answers were not 2xx`);
        }
        if (round >= 0) {
          perRequest[t.label].push(usPerRequest);
          rps[t.label].push(r.okRps);
        }
        await settle(t.pid);
      }
      log(round < 0 ? '  features warm-up round done' : `  features round ${round + 1} of ${plan.rounds} done`);
    }
    unpin();
    const tokenVerify = await measureTokenVerify({ plan, env: testEnv, token: access, base });
    const instructions = await priceInInstructions({ plan, env: testEnv, token: access, base, log });
    return { ...summarise(perRequest, rps), pinned, tokenVerify, instructions };
  } finally {
    unpin();
    await Promise.all(apps.map(({ app }) => app.stop()));
  }
}

/** The same variants counted in instructions (instructions.mjs), when valgrind is installed. */
async function priceInInstructions({ plan, env, token, base, log }) {
  if (!callgrindAvailable()) {
    log('  instructions: valgrind not found, the instruction table is left out');
    return null;
  }
  log('  instructions: each variant, the recipe and bare Fastify under callgrind');
  const counts = await countInstructions({
    variants: FEATURE_VARIANTS,
    env,
    root: plan.root,
    token,
    recipe: { label: RECIPE, bareLabel: BARE, headers: base.recipeAuth },
    plan: plan.instructions,
    log,
  });
  const per = (label) => counts[label].perRequest;
  const allOn = (per(ALL_ON) + per(CONTROL)) / 2;
  const recipe = per(RECIPE);
  return instructionPrices({
    allOn,
    recipe,
    bare: per(BARE),
    // What separates two identical processes, or how far one process's batches stray from their median (the median
    // over all servers of that median deviation), whichever is larger; instructionPrices() widens it if need be.
    noise: Math.max(
      Math.abs(per(ALL_ON) - per(CONTROL)),
      median(
        Object.values(counts).map(({ batches, perRequest }) => median(batches.map((b) => Math.abs(b - perRequest)))),
      ),
    ),
    gap: allOn - recipe,
    recipeGuard: recipe - per(BARE),
    plan: plan.instructions,
    rows: FEATURE_VARIANTS.map(([label, disable]) => ({
      label,
      disable,
      perRequest: per(label),
      saved: allOn - per(label),
      share: (allOn - per(label)) / (allOn - recipe),
    })),
  });
}

/** Rows that put another step in the left-out one's place (JSON.stringify for the compiled serializer), so may cost more. */
const REPLACES = new Set(['compiled-responses', 'envelope']);

/**
 * The noise, and which rows stand out of it. A row that only leaves a step out cannot need more instructions than
 * all on, so when one counts more, that excess is noise between processes too (the first run showed hooks' rows up
 * to 9,000 above all on where the control was 600 from it): the noise is the largest of that excess and the
 * measured one. Idempotent, so a stored run renders the same through it.
 */
export function instructionPrices(i) {
  const excess = i.rows
    .filter((r) => r.disable !== '' && !r.disable.includes(',') && !REPLACES.has(r.disable))
    .reduce((most, r) => Math.max(most, -r.saved), 0);
  const noise = Math.max(i.noise, excess);
  return {
    ...i,
    noise,
    rows: i.rows.map((r) => ({ ...r, beyondNoise: Math.abs(r.saved) > noise })),
  };
}

/** bench/lib/token-verify.mjs in a process of its own, with the app's environment (its secret, issuer, audience). */
async function measureTokenVerify({ plan, env, token, base }) {
  const TOKEN_VERIFY_PLAN = JSON.stringify({
    root: plan.root,
    token,
    recipeToken: base.recipeAuth.authorization.slice('Bearer '.length),
  });
  const child = spawn(process.execPath, [join(plan.root, 'bench/lib/token-verify.mjs')], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, TOKEN_VERIFY_PLAN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('TOKEN_VERIFY '));
  if (code !== 0 || !line) {
    throw new Error(`token-verify.mjs: exit ${code}\n${out.slice(-2000)}`);
  }
  return JSON.parse(line.slice('TOKEN_VERIFY '.length));
}

/**
 * Medians per target, and the reading: the all-on figure is the mean of the two identical processes; the noise is
 * what separates them, or what one process's rounds spread over (half their range, the median over all processes),
 * whichever is larger.
 */
function summarise(samples, rps) {
  const us = Object.fromEntries(Object.entries(samples).map(([label, list]) => [label, median(list)]));
  const allOn = (us[ALL_ON] + us[CONTROL]) / 2;
  const spread = median(
    Object.values(samples).map(
      (list) => (list.reduce((a, b) => Math.max(a, b)) - list.reduce((a, b) => Math.min(a, b))) / 2,
    ),
  );
  const noise = Math.max(Math.abs(us[ALL_ON] - us[CONTROL]), spread);
  const recipe = us[RECIPE];
  const bare = us[BARE];
  return {
    allOn,
    recipe,
    bare,
    noise,
    gap: allOn - recipe,
    // The recipe's whole guard, as far as a request shows it: the recipe's CPU per request over bare Fastify's.
    recipeGuard: recipe - bare,
    rows: FEATURE_VARIANTS.map(([label, disable]) => ({
      label,
      disable,
      us: us[label],
      rps: median(rps[label]),
      saved: allOn - us[label],
      share: (allOn - us[label]) / (allOn - recipe),
      beyondNoise: Math.abs(allOn - us[label]) > noise,
    })),
  };
}

/**
 * The instruction counts as markdown rows: thousands per request, saved, share of the gap, and the saving in µs at the
 * all-on process's measured rate (its CPU µs per request over its instructions per request).
 */
export function instructionTable(f) {
  const i = instructionPrices(f.instructions);
  const k = (v) => (Number.isFinite(v) ? (v / 1000).toFixed(1) : '–');
  const usPerInstruction = f.allOn / i.allOn;
  const lines = [
    '| variant of `/auth/check` | thousand instructions per request, outside the collector | saved by leaving it out | share of the gap to the recipe | saved, in µs at the all-on rate |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of i.rows) {
    const reference = row.disable === '';
    const saved = reference ? '' : row.beyondNoise ? k(row.saved) : `${k(row.saved)} (within noise)`;
    const share = reference || !row.beyondNoise ? '' : `${(row.share * 100).toFixed(0)} %`;
    const us = reference ? '' : (row.saved * usPerInstruction).toFixed(1);
    lines.push(
      `| ${reference ? row.label : `without ${row.label}`} | ${k(row.perRequest)} | ${saved} | ${share} | ${us} |`,
    );
  }
  lines.push(`| ${RECIPE} | ${k(i.recipe)} | | | |`);
  lines.push(`| ${BARE} | ${k(i.bare)} | | | |`);
  lines.push(
    '',
    `Noise: ±${k(i.noise)} thousand instructions (the largest of: what separates the two all-on processes, how ` +
      `far one server's batches stray from their median, and how much more than all on a row that only leaves a step ` +
      `out counted); all on is the two processes' mean, ${k(i.allOn)} thousand. Each server: ` +
      `${i.plan.warm} requests uninstrumented, ${i.plan.settle} batches of ${i.plan.batch} instrumented but not ` +
      `counted, then the median of ${i.plan.batches} counted batches. ` +
      `The all-on process spent ${f.allOn.toFixed(1)} µs of CPU per request in the table above, ` +
      `${(usPerInstruction * 1000).toFixed(2)} µs per thousand instructions.`,
  );
  return lines.join('\n');
}

/** The table as markdown rows (used by the console print and the report). */
export function featureTable(f) {
  const n = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)} %` : '–');
  const lines = [
    '| variant of `/auth/check` | CPU µs per request | saved by leaving it out | share of the gap to the recipe | req/s |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of f.rows) {
    const reference = row.disable === '';
    const saved = reference ? '' : row.beyondNoise ? n(row.saved) : `${n(row.saved)} (within noise)`;
    const share = reference || !row.beyondNoise ? '' : pct(row.share);
    lines.push(
      `| ${reference ? row.label : `without ${row.label}`} | ${n(row.us)} | ${saved} | ${share} | ${n(row.rps, 0)} |`,
    );
  }
  lines.push(`| ${RECIPE} | ${n(f.recipe)} | | | |`);
  lines.push(`| ${BARE} | ${n(f.bare)} | | | |`);
  lines.push('');
  lines.push(
    `Noise: ±${n(f.noise)} µs (the two all-on processes, or the spread of one process's rounds, whichever is larger); ` +
      `all on is their mean, ${n(f.allOn)} µs.` +
      (f.pinned ? ' Servers pinned to CPU 0, the load generator to CPU 1.' : ''),
  );
  if (f.tokenVerify) {
    lines.push(
      '',
      `The token part of the guard alone (\`bench/lib/token-verify.mjs\`: passport-jwt's verify step in one process, ` +
        `no HTTP): Gatehouse's access token with its key provider, issuer and audience ${n(f.tokenVerify.gatehouse, 2)} µs ` +
        `per verify, the recipe's ${n(f.tokenVerify.recipe, 2)} µs.`,
    );
  }
  return lines.join('\n');
}
