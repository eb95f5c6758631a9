// Child-process servers for the benchmark: each system under test runs in a process of its own.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free loopback port, found by letting the kernel pick one. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited with ${child.exitCode} before it was ready`);
    }
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server not ready after ${timeoutMs} ms: ${url}`);
}

/**
 * Starts `node ...execArgv <script> ...args` (behind `wrapper`, e.g. valgrind and its options, when given) with `env`
 * (`onOutput` sees every chunk of its stdout and stderr), waits until `readyPath` answers, and
 * returns a handle with the port, the pid and stop(). The last lines of stderr are
 * kept for the error message when the server dies.
 */
export async function startServer({
  name,
  script,
  args = [],
  env = {},
  readyPath = '/',
  timeoutMs = 60_000,
  execArgv = [],
  wrapper = [],
  onOutput,
}) {
  const port = await freePort();
  const command = [...wrapper, process.execPath, ...execArgv, script, ...args];
  const child = spawn(command[0], command.slice(1), {
    // Only what the server needs: a DATABASE_URL or REDIS_URL from the caller's shell must not leak in.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-4000);
    onOutput?.(chunk.toString());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  try {
    await waitReady(`http://127.0.0.1:${port}${readyPath}`, child, timeoutMs);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${name}: ${e.message}\n${tail}`, { cause: e });
  }
  return {
    name,
    port,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    output: () => tail,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** VmRSS and VmHWM of a process in MiB, from /proc (Linux only; null elsewhere). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples VmRSS every `intervalMs` until stop() is called; stop() answers the peak in MiB. */
export function sampleRss(pid, intervalMs = 25) {
  let peak = 0;
  const tick = () => {
    const mem = memoryOf(pid);
    if (mem && mem.rss > peak) {
      peak = mem.rss;
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}

/** utime + stime from a /proc `stat` file (a process's, all threads, or one thread's), in clock ticks. */
function ticksOf(statFile) {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time (user + system, all threads) a process has used, in clock ticks (1/100 s on Linux). */
export function cpuTicks(pid) {
  try {
    return ticksOf(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
}

/**
 * Waits until the server has stopped working off the previous run: a load run ends by closing
 * its connections, but logins already queued keep hashing for seconds and would be billed to
 * whichever server runs next. Idle = under 10 % of a core over a quarter second.
 */
export async function settle(pid, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = cpuTicks(pid);
  if (last === null) {
    return;
  }
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuTicks(pid);
    if (now === null || now - last <= 2) {
      return;
    }
    last = now;
  }
}

/**
 * CPU ticks of a process split by thread: its main thread (the event loop: Linux names it by the process id)
 * and all its other threads (libuv's pool, where the Argon2 verifies run, and any threads they start), from
 * /proc/<pid>/task. Threads that ended before the reading are not counted.
 */
export function threadTicks(pid) {
  try {
    let others = 0;
    let main = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const ticks = ticksOf(`/proc/${pid}/task/${tid}/stat`);
        if (tid === String(pid)) {
          main = ticks;
        } else {
          others += ticks;
        }
      } catch {
        // the thread ended between the listing and the reading
      }
    }
    return { main, others };
  } catch {
    return null;
  }
}

/** The process id of the local MariaDB/MySQL server (`mariadbd` or `mysqld`), or null. */
export function databaseServerPid() {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) {
      continue;
    }
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') {
        return Number(pid);
      }
    } catch {
      // the process ended between the listing and the reading
    }
  }
  return null;
}

/**
 * Starts counting where the machine's CPU goes during a run: the server's event loop, its other threads, the
 * database server (when `databasePid` is given) and this load-generating process. stop() answers CPU ms of each.
 */
export function cpuShare(pid, databasePid = null) {
  const TICK_MS = 10; // Linux reports /proc times in USER_HZ = 100 ticks per second
  const before = { app: threadTicks(pid), db: databasePid ? cpuTicks(databasePid) : null, self: process.cpuUsage() };
  const started = performance.now();
  return {
    stop() {
      const app = threadTicks(pid);
      const db = databasePid ? cpuTicks(databasePid) : null;
      const self = process.cpuUsage(before.self);
      return {
        wallMs: performance.now() - started,
        eventLoopMs: app && before.app ? (app.main - before.app.main) * TICK_MS : null,
        otherThreadsMs: app && before.app ? (app.others - before.app.others) * TICK_MS : null,
        databaseMs: db !== null && before.db !== null ? (db - before.db) * TICK_MS : null,
        loadGeneratorMs: (self.user + self.system) / 1000,
      };
    },
  };
}

/**
 * Nanoseconds a process has run on a CPU, all its threads, from the scheduler's own accounting
 * (`/proc/<pid>/task/<tid>/schedstat`, first field): 10 ms clock ticks are too coarse to price a feature that costs
 * a few µs per request. Threads that ended before the reading are not counted. Null where there is no /proc.
 */
export function cpuNs(pid) {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended between the listing and the reading
      }
    }
    return total;
  } catch {
    return null;
  }
}

/**
 * Pins every thread of each process to the given CPUs (`taskset -a -p -c`, util-linux); threads started later inherit
 * it. Answers false, changing nothing, where taskset is missing. Used by the feature table: the servers on one core
 * and the load generator on another, so neither migrates or shares a core's caches with the other mid-round.
 */
export function pinCpus(pids, cpus) {
  try {
    for (const pid of pids) {
      execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    }
    return true;
  } catch {
    return false;
  }
}

/** Waits until a started server has printed `text` (a wrapper's "profile written", say), or throws with its output. */
export async function waitForOutput(server, text, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!server.output().includes(text)) {
    if (Date.now() > deadline) {
      throw new Error(`${server.name}: no "${text}" after ${timeoutMs} ms\n${server.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
