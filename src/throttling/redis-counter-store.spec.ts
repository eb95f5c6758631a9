import type { RedisClient } from '#src/redis/redis-client.js';
import { RedisCounterStore } from '#src/throttling/redis-counter-store.js';

const POLICY = { max: 3, windowMs: 60_000, lockoutMs: 10_000, lockoutMaxMs: 25_000, holdMs: 30_000 };

/**
 * SPEC §18: on a Redis Cluster a command or script naming keys in different slots fails with CROSSSLOT. Every call
 * the store makes is recorded here: each must name exactly one key, declared as a key (so the cluster routes it),
 * and no script may reach for a key it did not declare. test/mysql-only/redis-cluster.e2e-spec.ts runs it for real.
 */
describe('RedisCounterStore on a cluster', () => {
  it('names exactly one key in every command and script, and no script reads a key beyond KEYS[1]', async () => {
    const calls: { command: string; keys: string[]; script?: string }[] = [];
    const fake = {
      eval: (script: string, numKeys: number, ...rest: (string | number)[]) => {
        calls.push({ command: 'eval', keys: rest.slice(0, numKeys).map(String), script });
        return Promise.resolve(script.includes("op == 'reserve'") ? ['reserved', 0] : [1, 61_000]);
      },
      get: (key: string) => {
        calls.push({ command: 'get', keys: [key] });
        return Promise.resolve(null);
      },
      del: (...keys: string[]) => {
        calls.push({ command: 'del', keys });
        return Promise.resolve(1);
      },
    };
    const store = new RedisCounterStore(fake as unknown as RedisClient, 'gh:');
    await store.add('login_ip:1.2.3.4', 1, 60_000, 1_000);
    await store.get('login_ip:1.2.3.4', 1_000);
    await store.delete('login_ip:1.2.3.4');
    await store.reserve('gate', 'id-1', POLICY, 1_000);
    await store.settle('gate', 'id-1', 'failure', POLICY, 1_000);

    expect(calls.map((c) => c.command)).toEqual(['eval', 'get', 'del', 'eval', 'eval']);
    for (const call of calls) {
      expect(call.keys).toHaveLength(1);
      expect(call.keys[0]).toMatch(/^gh:throttle:/);
      if (call.script) {
        expect(call.script.match(/KEYS\[\d+\]/g)?.every((key) => key === 'KEYS[1]')).toBe(true);
      }
    }
  });
});
