// Turns a V8 .cpuprofile into self-time tables: by package (node_modules/<name>, Gatehouse's own dist/src, Node's
// internals, the garbage collector…) and by function. Self time = samples whose top frame is that function.
import { readFileSync } from 'node:fs';

/** Which package a frame belongs to, from its script URL. */
export function packageOf(url, functionName) {
  if (!url) {
    // (garbage collector), (program), (idle), or a V8 builtin such as JSON.stringify
    return functionName.startsWith('(') ? functionName : '(native / builtin)';
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) {
    return 'node (internal)';
  }
  if (url.includes('/dist/src/')) {
    return 'gatehouse (dist/src)';
  }
  if (url.includes('/bench/')) {
    return 'bench script';
  }
  return url;
}

/** Self time per package and per function, in ms and as a share of non-idle samples. */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // The profiler's own start and stop (`Session.post` of node:inspector, whose native `dispatch` blocks the event
  // loop for up to ~200 ms) are in the profile too: they are the measurement, not the server's work, so they are left
  // out of the busy time and reported apart.
  const parentOf = new Map();
  for (const n of profile.nodes) {
    for (const child of n.children ?? []) {
      parentOf.set(child, n.id);
    }
  }
  const profilerOwn = new Set();
  for (const n of profile.nodes) {
    for (let id = n.id; id !== undefined; id = parentOf.get(id)) {
      if (byId.get(id).callFrame.url === 'node:inspector') {
        profilerOwn.add(n.id);
        break;
      }
    }
  }
  const deltas = profile.timeDeltas;
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    // timeDeltas[i] is the time since the previous sample: it belongs to sample i.
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0));
  }
  const packages = new Map();
  const functions = new Map();
  let busy = 0;
  let idle = 0;
  let profiler = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    if (profilerOwn.has(id)) {
      profiler += us;
      continue;
    }
    busy += us;
    const pkg = packageOf(callFrame.url, name);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const file = callFrame.url
      ? callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')
      : '';
    const key = `${name} ${file ? `${file}:${callFrame.lineNumber + 1}` : ''}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const rows = (map) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    profilerMs: profiler / 1000,
    packages: rows(packages),
    functions: rows(functions),
  };
}

export function readProfile(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** A markdown table of the top `n` rows, with the self time per request when `requests` is given. */
export function table(rows, n, requests) {
  const lines = ['| self time | share | µs / request | where |', '|---:|---:|---:|---|'];
  for (const r of rows.slice(0, n)) {
    const perReq = requests ? ((r.ms * 1000) / requests).toFixed(1) : '-';
    lines.push(
      `| ${r.ms.toFixed(0)} ms | ${(r.share * 100).toFixed(1)} % | ${perReq} | \`${r.name.replace(/\|/g, '\\|')}\` |`,
    );
  }
  return lines.join('\n');
}

// `node bench/lib/cpuprofile.mjs <file.cpuprofile> [N]` prints both tables.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, n = '25'] = process.argv.slice(2);
  const s = summarize(readProfile(file));
  console.log(
    `busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms, the profiler's own ${s.profilerMs.toFixed(0)} ms\n`,
  );
  console.log(table(s.packages, Number(n)));
  console.log();
  console.log(table(s.functions, Number(n)));
}
