import { readdirSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** Linux's weakest priority: nice values run from −20 to 19. */
const LOWEST = 19;

/**
 * Issue 16: under a login flood the Argon2 verifies keep every core busy (with the spec's p=4, each verify runs four
 * lanes on threads of its own), and the event loop, which answers every request (the 503s of a full queue, token
 * checks, the admitted logins' own work), got only its share beside them: refusals waited hundreds of ms. Linux
 * schedules each thread by its nice value (CFS: a thread at +10 weighs 110 against 1024 at 0), so the threads beside
 * the event loop (libuv's pool, where @node-rs/argon2 runs, the lanes it starts, which inherit their creator's value,
 * and V8's helpers) are set `steps` below the main thread: they still take every idle cycle, but the event loop is
 * served first. OWASP Denial of Service Cheat Sheet: keep the expensive work from starving the rest.
 *
 * Lowering one's own priority needs no privilege. Elsewhere than Linux, in a worker thread (where the process's main
 * thread is not this event loop), or with `steps` 0 this does nothing. Answers how many threads it set.
 */
export async function lowerBackgroundThreads(steps: number): Promise<number> {
  if (steps <= 0 || process.platform !== 'linux' || !isMainThread) {
    return 0;
  }
  let threads: string[];
  try {
    // Any call into libuv's pool starts all of its threads, so they exist before they are listed.
    await access('/proc/self/task');
    threads = readdirSync('/proc/self/task');
  } catch {
    return 0; // no /proc to read (a restricted sandbox): the threads keep their priority, nothing else changes
  }
  // A process id names its main thread, the event loop: the others are set relative to it.
  const target = Math.min(LOWEST, getPriority(process.pid) + steps);
  let lowered = 0;
  for (const tid of threads) {
    if (tid === String(process.pid)) {
      continue;
    }
    try {
      setPriority(Number(tid), target);
      lowered++;
    } catch {
      // the thread ended between the listing and the call
    }
  }
  return lowered;
}
