import { collectConfigProblems, formatConfigReport } from '#src/config/config-report.js';
import redisConfig from '#src/redis/redis.config.js';

const KEYS = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_PREFIX'];

describe('redisConfig', () => {
  const saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));
  const set = (env: Record<string, string>) => {
    for (const key of KEYS) {
      delete process.env[key];
    }
    Object.assign(process.env, env);
  };
  afterEach(() => {
    for (const key of KEYS) {
      if (saved[key] === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = saved[key];
      }
    }
  });

  it('keeps the state in process when nothing is set, an empty value meaning unset', () => {
    set({ REDIS_URL: '', REDIS_CLUSTER_NODES: '' });
    expect(redisConfig()).toEqual({ target: null, prefix: 'gatehouse:' });
  });

  it('reads one Redis from REDIS_URL', () => {
    set({ REDIS_URL: 'rediss://user:pw@redis.internal:6380/2', REDIS_PREFIX: 'gh:' });
    expect(redisConfig()).toEqual({
      target: { type: 'single', url: 'rediss://user:pw@redis.internal:6380/2' },
      prefix: 'gh:',
    });
  });

  it('reads a cluster from REDIS_CLUSTER_NODES, IPv6 addresses in brackets', () => {
    set({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-2.internal:7001,[fd00::3]:7002' });
    expect(redisConfig().target).toEqual({
      type: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-2.internal', port: 7001 },
        { host: 'fd00::3', port: 7002 },
      ],
    });
  });

  it('reads a cluster and its credentials from a redis-cluster:// URL', () => {
    set({ REDIS_URL: 'redis-cluster://app:p%40ss:w@10.0.0.1:7000,10.0.0.2:7000' });
    expect(redisConfig().target).toEqual({
      type: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
      ],
      username: 'app',
      password: 'p@ss:w',
    });
  });

  it('refuses a plain REDIS_URL and cluster nodes together, naming what to unset', () => {
    set({ REDIS_URL: 'redis://redis.internal:6379', REDIS_CLUSTER_NODES: '10.0.0.1:7000' });
    expect(() => redisConfig()).toThrow(/REDIS_CLUSTER_NODES: set either REDIS_URL or REDIS_CLUSTER_NODES, not both/);
  });

  it('reports every bad cluster setting at once, the password masked', () => {
    set({ REDIS_URL: 'redis-cluster://app:hunter2@10.0.0.1:7000,10.0.0.2:7000/0', REDIS_CLUSTER_NODES: '10.0.0.1' });
    const problems = collectConfigProblems([redisConfig]);
    expect(problems.map((p) => p.variable).sort()).toEqual(['REDIS_CLUSTER_NODES', 'REDIS_URL']);
    const report = formatConfigReport(problems, process.env);
    expect(report).toContain('REDIS_CLUSTER_NODES="10.0.0.1": must be host:port,host:port,...');
    expect(report).toContain('no database number');
    expect(report).not.toContain('hunter2');
  });

  it('refuses a port out of range', () => {
    set({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:70000' });
    expect(() => redisConfig()).toThrow(/REDIS_CLUSTER_NODES: every port must be 1-65535/);
  });
});
