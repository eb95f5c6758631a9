import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { TEST_ENV } from './test-app.js';

/** An app instance in a process of its own, from the built dist/: the one kind of instance a test can kill -9. */
export interface ChildInstance {
  port: number;
  /** SIGKILL, as a crash or an OOM kill: no shutdown hook runs. Resolves once the process is gone. */
  kill(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Builds dist/ if a source is newer (the same step as `npm start`), once per process. */
let built = false;
export function buildServer(): void {
  if (!built) {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs', '--server'], { stdio: 'ignore' });
    built = true;
  }
}

async function waitLive(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the child instance exited before it was live:\n${output()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/live`);
      if (res.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts `node dist/src/main.js` on 127.0.0.1 with the test settings plus `env` (its DATABASE_URL, REDIS_URL…). */
export async function startChildInstance(env: Record<string, string>): Promise<ChildInstance> {
  buildServer();
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH, ...TEST_ENV, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await waitLive(port, child, () => tail);
  return {
    port,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
