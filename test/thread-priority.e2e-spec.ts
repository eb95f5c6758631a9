import { readdirSync, readFileSync } from 'node:fs';
import { API, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended between the listing and the reading
    }
  }
  return nice;
}

/** Issue 16: under a login flood the hashing threads must not starve the event loop that answers every request. */
describe('the threads beside the event loop (BACKGROUND_THREAD_NICE)', () => {
  let t: TestApp;
  let eventLoopBefore: number;

  beforeAll(async () => {
    eventLoopBefore = niceByThread().get(process.pid)!;
    // The spec's four lanes: a verify runs on threads of its own, started after boot by the pool's threads.
    t = await createTestApp({ ARGON2_PARALLELISM: '4', ARGON2_MEMORY_KIB: '32768' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('run 10 nice steps below the event loop by default, the lanes a verify starts included', async () => {
    const { username } = await register(t);
    const atBoot = new Set(niceByThread().keys());
    // A p=4 verify runs its lanes on threads it starts and ends: watch every thread while logins are in flight.
    const seen = new Map<number, number>();
    const watch = setInterval(() => {
      for (const [tid, value] of niceByThread()) {
        seen.set(tid, value);
      }
    }, 1);
    const logins = await Promise.all(
      Array.from({ length: 4 }, () => t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD })),
    );
    clearInterval(watch);
    expect(logins.map((res) => res.status)).toEqual([200, 200, 200, 200]);

    const target = Math.min(19, eventLoopBefore + 10);
    // The event loop keeps its priority (this process's main thread runs the app).
    expect(seen.get(process.pid)).toBe(eventLoopBefore);
    const others = [...seen].filter(([tid]) => tid !== process.pid);
    expect(others.length).toBeGreaterThan(4); // libuv's pool alone has four
    expect(others.some(([tid]) => !atBoot.has(tid))).toBe(true); // lanes started after boot were seen
    expect(new Set(others.map(([, value]) => value))).toEqual(new Set([target]));
  });
});
