import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createTestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** A free port on 127.0.0.1 for a Redis of the test's own. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * SPEC §7: Redis must run with maxmemory-policy noeviction, or a memory squeeze forgets lockouts; the app warns at
 * start. A throw-away redis-server with an evicting policy stands in, so the shared test Redis is never reconfigured.
 */
describe('the Redis eviction policy check at start', () => {
  let server: ChildProcess;
  let port: number;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
    server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'allkeys-lru',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    // Refused connections until the server listens are expected: the probe retries.
    probe.on('error', () => undefined);
    await probe.ping();
    probe.disconnect();
  });
  afterAll(async () => {
    server?.kill();
    await db?.drop();
  });

  async function bootLogs(policy: string): Promise<string> {
    const admin = new Redis(port, '127.0.0.1');
    await admin.config('SET', 'maxmemory-policy', policy);
    admin.disconnect();
    const lines: string[] = [];
    const t = await createTestApp(
      { REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
      { database: db, logStream: { write: (line) => void lines.push(line) } },
    );
    await t.close();
    return lines.join('');
  }

  it('warns when Redis may evict counters, naming the setting to change', async () => {
    const logs = await bootLogs('allkeys-lru');
    expect(logs).toContain('maxmemory-policy is allkeys-lru');
    expect(logs).toContain('noeviction');
  });

  it('says nothing when Redis runs with noeviction', async () => {
    expect(await bootLogs('noeviction')).not.toContain('maxmemory-policy');
  });
});
