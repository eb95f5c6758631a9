import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { ConfigError } from '#src/config/config-report.js';
import { EnvDoc, validateConfig } from '#src/config/validate-config.js';

/** `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address. */
const NODE = String.raw`(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}`;
const NODE_LIST = new RegExp(`^${NODE}(?:,${NODE})*$`);
/** `redis-cluster://[user:pass@]host:port,host:port,...`: the seed nodes of a Redis Cluster, one URL. */
const CLUSTER_URL = new RegExp(`^redis-cluster://(?:([^\\s@/]*)@)?(${NODE}(?:,${NODE})*)/?$`);

class RedisEnv {
  @EnvDoc(
    'redis://[user:pass@]host:6379[/db] or rediss:// (TLS) for one Redis; redis-cluster://[user:pass@]host:port,host:port,... for a Redis Cluster (the password in the URL). Set it when running several instances: throttling counters are shared and revocations are pushed to every instance at once. Default: unset (in process).',
  )
  @IsOptional()
  @Matches(/^(?:rediss?:\/\/[^\s]+|redis-cluster:\/\/[^\s]+)$/, {
    message:
      'REDIS_URL must be redis://[user:pass@]host:port[/db], rediss:// for TLS, or redis-cluster://[user:pass@]host:port,host:port,... for a Redis Cluster',
  })
  REDIS_URL?: string;
  @EnvDoc(
    'A Redis Cluster instead of one Redis: some of its nodes as host:port,host:port,... (the rest are discovered). Excludes REDIS_URL; for a password use the redis-cluster:// form of REDIS_URL. Default: unset.',
  )
  @IsOptional()
  @Matches(NODE_LIST, {
    message: 'REDIS_CLUSTER_NODES must be host:port,host:port,... (e.g. 10.0.0.1:7000,10.0.0.2:7000)',
  })
  REDIS_CLUSTER_NODES?: string;
  @EnvDoc('Starts every Redis key and channel name, so deployments can share one Redis.', 'gatehouse:')
  @IsOptional()
  @Matches(/^[A-Za-z0-9:_.{}-]{1,64}$/, {
    message: 'REDIS_PREFIX must be 1-64 characters of letters, digits and : _ . - { }',
  })
  REDIS_PREFIX?: string;
}

export interface RedisNode {
  host: string;
  port: number;
}

/** Where the shared state lives: one Redis (a redis:// or rediss:// URL), or the seed nodes of a Redis Cluster. */
export type RedisTarget =
  { type: 'single'; url: string } | { type: 'cluster'; nodes: RedisNode[]; username?: string; password?: string };

export interface RedisConfig {
  /** Shared state for several instances (SPEC §2, §18); null keeps counters in process and Redis unused. */
  target: RedisTarget | null;
  /** Starts every key and channel name, so several deployments can share one Redis. */
  prefix: string;
}

function parseNodes(list: string): RedisNode[] {
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(node.slice(at + 1)) };
  });
}

/** One Redis, a cluster or none; every problem of the settings at once, in the start-up report's shape (SPEC §2). */
function redisTarget(url: string | undefined, nodes: string | undefined): RedisTarget | null {
  const problems: { variable: string; rule: string }[] = [];
  if (url && nodes) {
    problems.push({
      variable: 'REDIS_CLUSTER_NODES',
      rule: 'set either REDIS_URL or REDIS_CLUSTER_NODES, not both: unset REDIS_URL to use the cluster, or this to use one Redis',
    });
  }
  let target: RedisTarget | null = null;
  if (url?.startsWith('redis-cluster://')) {
    const match = CLUSTER_URL.exec(url);
    if (!match) {
      problems.push({
        variable: 'REDIS_URL',
        rule: 'a redis-cluster:// URL must be redis-cluster://[user:pass@]host:port,host:port,... (no database number: a cluster has only database 0)',
      });
    } else {
      const [user, ...password] = (match[1] ?? '').split(':');
      target = {
        type: 'cluster',
        nodes: parseNodes(match[2]),
        ...(user ? { username: decodeURIComponent(user) } : {}),
        ...(password.length > 0 ? { password: decodeURIComponent(password.join(':')) } : {}),
      };
    }
  } else if (url) {
    target = { type: 'single', url };
  } else if (nodes) {
    target = { type: 'cluster', nodes: parseNodes(nodes) };
  }
  const badPort = target?.type === 'cluster' && target.nodes.some((n) => n.port < 1 || n.port > 65535);
  if (badPort) {
    problems.push({ variable: nodes ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL', rule: 'every port must be 1-65535' });
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return target;
}

export default registerAs('redis', (): RedisConfig => {
  // Empty counts as unset, so a test (or an env file) can switch Redis off again.
  const { REDIS_URL, REDIS_CLUSTER_NODES, REDIS_PREFIX } = process.env;
  const env = validateConfig(
    {
      REDIS_URL: REDIS_URL || undefined,
      REDIS_CLUSTER_NODES: REDIS_CLUSTER_NODES || undefined,
      REDIS_PREFIX: REDIS_PREFIX || undefined,
    },
    RedisEnv,
  );
  return { target: redisTarget(env.REDIS_URL, env.REDIS_CLUSTER_NODES), prefix: env.REDIS_PREFIX ?? 'gatehouse:' };
});
