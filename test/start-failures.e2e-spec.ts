import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartError, startFailureText } from '#src/config/config-report.js';
import { startServer } from '#src/start.js';
import { TEST_ENV } from './helpers/test-app.js';

/** Runs the real start (`main.ts` minus the exit) with `env` set for it, and what it wrote to stderr. */
async function start(
  env: Record<string, string>,
): Promise<{ app?: NestFastifyApplication; error?: unknown; stderr: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const stderr: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    return { app: await startServer(), stderr: stderr.join('') };
  } catch (error) {
    return { error, stderr: stderr.join('') };
  } finally {
    spy.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  }
}

function listenOn127(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('a start that fails outside the config says what to change (SPEC §10, issue 24.7)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-start-'));
    // The suite's own database is not needed: a SQLite file of this test's own, and no /docs to build.
    env = {
      ...TEST_ENV,
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'g.sqlite')}`,
      DOCS_ENABLED: 'false',
    };
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('listens on HOST (127.0.0.1 outside production) and PORT', async () => {
    const { app, error } = await start({ ...env, PORT: '0' });
    expect(error).toBeUndefined();
    try {
      expect(app!.getHttpServer().address()).toMatchObject({ address: '127.0.0.1' });
    } finally {
      await app!.close();
    }
  });

  it('names PORT in one line when the port is taken, instead of "successfully started" and a stack trace', async () => {
    const taken = createServer();
    const port = await listenOn127(taken);
    try {
      const { error, stderr } = await start({ ...env, PORT: String(port), HOST: '127.0.0.1' });
      expect(error).toBeInstanceOf(StartError);
      expect(startFailureText(error)).toBe(
        `Gatehouse cannot start: port ${port} on 127.0.0.1 is already in use; set PORT to a free port (or HOST), then start again.`,
      );
      expect(stderr).toBe('');
    } finally {
      taken.close();
    }
  });

  it('names DATABASE_URL, masked, with a line per retry, when the database does not answer', async () => {
    const closed = createServer();
    const port = await listenOn127(closed);
    await new Promise((resolve) => closed.close(resolve));
    const { error, stderr } = await start({
      ...env,
      DATABASE_URL: `mysql://root:hunter2@127.0.0.1:${port}/gatehouse`,
      DATABASE_CONNECT_ATTEMPTS: '2',
    });
    const masked = `DATABASE_URL=mysql://root:****@127.0.0.1:${port}/gatehouse`;
    expect(stderr.split('\n')).toEqual([
      `Database at ${masked} is not reachable (connect ECONNREFUSED 127.0.0.1:${port}).`,
      '  attempt 1/2 failed; trying again in 3 s',
      '',
    ]);
    const text = startFailureText(error);
    expect(text.split('\n')[0]).toBe(
      `Gatehouse cannot start: the database at ${masked} is not reachable (connect ECONNREFUSED 127.0.0.1:${port}).`,
    );
    expect(text).toContain('Tried 2 times (DATABASE_CONNECT_ATTEMPTS).');
    expect(text + stderr).not.toContain('hunter2');
    expect(text).not.toMatch(/\n\s+at /);
  });
});

describe('the compiled server as a container runs it (SPEC §18)', () => {
  let dataDir: string;
  beforeAll(() => {
    // Incremental: builds only when a source is newer than dist/ (CI has built it already).
    execFileSync('node', ['scripts/build-if-stale.mjs', '--server'], { stdio: 'ignore' });
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-sigterm-'));
  }, 300_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('drains and exits 0 on SIGTERM, instead of dying by the signal', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...TEST_ENV,
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
    };
    delete env.DATABASE_URL;
    const server = spawn('node', ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      server.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Gatehouse is ready')) {
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`the server stopped before it was ready:\n${output}`)));
    });
    server.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
