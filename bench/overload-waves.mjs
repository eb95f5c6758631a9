#!/usr/bin/env node
// Diagnostics for the overload target: 256 clients log in for 8 s against the built app (bench env), each waiting
// Retry-After after a 503, and the 503 latency is split into the opening wave (first second) and the steady state
// after it. PRECONNECT=1 opens the 256 keep-alive sockets first, to tell connection set-up from the app's work.
import { Agent, request } from 'node:http';
import { setPriority } from 'node:os';
import { appEnv, makeDataDir, registerUser, PASSWORD, API } from './lib/app.mjs';
import { postJson, quantile } from './lib/load.mjs';
import { startServer } from './lib/servers.mjs';
const d = makeDataDir();
const app = await startServer({
  name: 'g',
  script: new URL('../dist/src/main.js', import.meta.url).pathname,
  env: appEnv('', d.dir),
  readyPath: '/health/live',
});
await registerUser(app, 'wave_user');
const target = new URL(app.url + API + '/auth/login');
const payload = JSON.stringify({ username: 'wave_user', password: PASSWORD });
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const rec = [];
const send = async () => (await postJson(agent, target, payload)).status;
// Diagnostics of CPU share (needs root): SERVER_NICE=-10 raises the app's event-loop thread only (Linux applies
// a nice value per thread, and a process id names its main thread), CLIENT_NICE=-10 this load generator's.
if (process.env.SERVER_NICE) {
  setPriority(app.pid, Number(process.env.SERVER_NICE));
}
if (process.env.CLIENT_NICE) {
  setPriority(0, Number(process.env.CLIENT_NICE));
}
if (process.env.PRECONNECT) {
  await Promise.all(
    Array.from(
      { length: 256 },
      () =>
        new Promise((resolve) => {
          const req = request({ agent, host: target.hostname, port: target.port, path: '/health/live' }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.end();
        }),
    ),
  );
  console.log('preconnected sockets', Object.values(agent.freeSockets).flat().length);
}
const t0 = performance.now();
const stop = t0 + 8000;
await Promise.all(
  Array.from({ length: 256 }, async () => {
    while (performance.now() < stop) {
      const s = performance.now();
      const st = await send();
      rec.push({ st, s: s - t0, ms: performance.now() - s });
      if (st === 503) {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }),
);
for (const [label, f] of [
  ['all', () => true],
  ['first 1 s', (r) => r.s < 1000],
  ['after 1 s', (r) => r.s >= 1000],
]) {
  const l = rec.filter((r) => r.st === 503 && f(r)).map((r) => r.ms);
  console.log(
    label,
    '503 n',
    l.length,
    'p50',
    quantile(l, 0.5)?.toFixed(1),
    'p99',
    quantile(l, 0.99)?.toFixed(1),
    'max',
    Math.max(...l).toFixed(0),
  );
}
agent.destroy();
await app.stop();
d.remove();
