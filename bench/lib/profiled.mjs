// Runs a server script under the V8 sampling profiler: `node bench/lib/profiled.mjs <script>`. SIGWINCH starts and
// the next SIGWINCH stops sampling, writing $PROFILE_OUT (a .cpuprofile, Chrome DevTools' format); the server keeps
// running until it is stopped as usual. The wrapper is used rather than `node --cpu-prof` because
// that writes only on a clean exit, and Nest's shutdown hooks end the process with the signal it received.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';

const [script] = process.argv.slice(2);
const out = process.env.PROFILE_OUT;
if (!script || !out) {
  throw new Error('usage: PROFILE_OUT=<file> node bench/lib/profiled.mjs <script>');
}
// PROFILE_KIND=heap takes V8's sampling heap profile instead (bench/allocation-sites.mjs): every sampled allocation,
// also of objects the young-generation collections already freed, which is what a request's garbage is.
const heap = process.env.PROFILE_KIND === 'heap';
const session = new Session();
session.connect();
if (heap) {
  await session.post('HeapProfiler.enable');
} else {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: Number(process.env.PROFILE_INTERVAL_US ?? 500) });
}
const start = () =>
  heap
    ? session.post('HeapProfiler.startSampling', {
        samplingInterval: 256,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      })
    : session.post('Profiler.start');
const stop = async () =>
  heap ? (await session.post('HeapProfiler.stopSampling')).profile : (await session.post('Profiler.stop')).profile;
let started = false;
// The first SIGWINCH starts sampling (after start-up and warm-up), the next one stops it and writes the file
// (SIGUSR1 opens Node's inspector, and Nest's shutdown hooks end the app on SIGUSR2; SIGWINCH is otherwise ignored).
process.on('SIGWINCH', () => {
  if (!started) {
    started = true;
    void start().then(() => process.stdout.write('profile started\n'));
    return;
  }
  started = false;
  void stop().then((profile) => {
    writeFileSync(out, JSON.stringify(profile));
    process.stdout.write(`profile written ${out}\n`);
  });
});
process.argv.splice(2, 1);
await import(pathToFileURL(script).href);
