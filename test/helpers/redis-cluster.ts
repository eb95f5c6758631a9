import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
const REDIS_CLI = process.env.REDIS_CLI_PATH ?? '/usr/bin/redis-cli';
/**
 * How long a master may stay silent before the others mark it failed. Short, so a killed master turns the cluster to
 * `fail` within seconds; not shorter, so a loaded CI machine does not fail a master that is only slow to answer.
 */
const NODE_TIMEOUT_MS = 2000;
/** Bound on every wait for the cluster to change state (formation, failure detection, recovery). */
const STATE_WAIT_MS = 30_000;

/** One redis-server of the cluster: its client port and cluster-bus port (both free ports picked at start). */
interface Node {
  port: number;
  busPort: number;
  process: ChildProcess | null;
}

/**
 * A throw-away three-master Redis Cluster (no replicas) from Debian's redis-server, in a temporary directory of its
 * own: the shared test Redis is never touched, and nothing is left running or on disk after `stop()`.
 */
export interface TestRedisCluster {
  /** The REDIS_URL of the cluster, as an operator writes it: redis-cluster://127.0.0.1:p1,127.0.0.1:p2,... */
  url: string;
  /** The REDIS_CLUSTER_NODES form of the same seed list. */
  nodes: string;
  /** The client ports of the three masters. */
  ports: number[];
  /** Every key under `prefix`, found by scanning every master (each holds only its own slots). */
  keys(prefix: string): Promise<string[]>;
  /** The client port of the master that serves `key`'s slot. */
  ownerOf(key: string): Promise<number>;
  /** SIGKILL to the master on `port`, as a crash would: no shutdown, nothing saved. */
  kill(port: number): Promise<void>;
  /** Starts the master on `port` again, same port and nodes.conf, and waits until the cluster reports ok. */
  restart(port: number): Promise<void>;
  /** Polls (bounded) until every running node reports `cluster_state:<state>`. */
  waitForState(state: 'ok' | 'fail'): Promise<void>;
  /** Kills every node and removes the directory. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 100 ms until it holds, for at most STATE_WAIT_MS; throws `what` past that. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STATE_WAIT_MS;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) {
      throw new Error(`Redis Cluster: ${what} within ${STATE_WAIT_MS} ms`);
    }
    await pause(100);
  }
}

/** One short-lived connection to one node, never retrying: a node that is down answers an error at once. */
async function onNode<T>(port: number, command: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await command(redis);
  } finally {
    redis.disconnect();
  }
}

/** Starts three masters, joins them with `redis-cli --cluster create`, and waits until every node reports ok. */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-redis-cluster-'));
  const nodes: Node[] = [];
  for (let i = 0; i < 3; i++) {
    nodes.push({ port: await freePort(), busPort: await freePort(), process: null });
  }
  const spawnNode = (node: Node) => {
    const args = [
      ['--port', node.port],
      ['--cluster-port', node.busPort],
      ['--bind', '127.0.0.1'],
      ['--cluster-enabled', 'yes'],
      ['--cluster-config-file', join(dir, `nodes-${node.port}.conf`)],
      ['--cluster-node-timeout', NODE_TIMEOUT_MS],
      ['--save', ''],
      ['--appendonly', 'no'],
      ['--maxmemory-policy', 'noeviction'],
      ['--dir', dir],
      ['--logfile', join(dir, `node-${node.port}.log`)],
    ].flat();
    node.process = spawn(REDIS_SERVER, args.map(String), { stdio: 'ignore' });
  };
  const running = () => nodes.filter((node) => node.process);
  const killAll = () => {
    for (const node of nodes) {
      node.process?.kill('SIGKILL');
    }
  };
  // A worker that dies without its afterAll still takes its servers with it.
  process.once('exit', killAll);

  const waitForState = (state: 'ok' | 'fail') =>
    until(`every node reporting cluster_state:${state}`, async () => {
      const infos = await Promise.all(running().map((node) => onNode(node.port, (r) => r.cluster('INFO'))));
      return infos.every((info) => info.includes(`cluster_state:${state}`));
    });

  try {
    nodes.forEach(spawnNode);
    for (const node of nodes) {
      await until(`node ${node.port} answering`, () => onNode(node.port, (r) => r.ping()).then(() => true));
    }
    await run(REDIS_CLI, [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitForState('ok');
  } catch (e) {
    killAll();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const nodeAt = (port: number) => {
    const node = nodes.find((n) => n.port === port);
    if (!node) {
      throw new Error(`no cluster node on port ${port}`);
    }
    return node;
  };
  const kill = async (port: number) => {
    const node = nodeAt(port);
    const child = node.process;
    node.process = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const seeds = nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  return {
    url: `redis-cluster://${seeds}`,
    nodes: seeds,
    ports: nodes.map((node) => node.port),
    async keys(prefix) {
      const found: string[] = [];
      for (const node of running()) {
        await onNode(node.port, async (redis) => {
          let cursor = '0';
          do {
            const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
            found.push(...batch);
            cursor = next;
          } while (cursor !== '0');
        });
      }
      return found;
    },
    async ownerOf(key) {
      const { port } = running()[0];
      const [slot, ranges] = await onNode(port, async (redis) => [
        await redis.cluster('KEYSLOT', key),
        await redis.cluster('SLOTS'),
      ]);
      const master = ranges.find(([from, to]) => from <= slot && slot <= to)?.[2];
      if (!master) {
        throw new Error(`no master serves slot ${slot}`);
      }
      return master[1];
    },
    kill,
    async restart(port) {
      const node = nodeAt(port);
      spawnNode(node);
      await until(`node ${port} answering after its restart`, () => onNode(port, (r) => r.ping()).then(() => true));
      await waitForState('ok');
    },
    waitForState,
    async stop() {
      process.off('exit', killAll);
      await Promise.all(running().map((node) => kill(node.port)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
