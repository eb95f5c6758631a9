import type { Redis } from 'ioredis';
import {
  type CounterStore,
  type GatePolicy,
  MemoryCounterStore,
  StoreFullError,
} from '#src/throttling/counter-store.js';
import { RedisCounterStore } from '#src/throttling/redis-counter-store.js';
import { createTestRedis, type TestRedis } from '../helpers/test-redis.js';

/**
 * The gate and window logic exists twice, in TypeScript (in process) and in Lua (Redis). One table of cases runs
 * through both, so the twins cannot drift apart: window edges, refunds, flood, eviction pressure, clock moves.
 */
const MAX_KEYS = 50;
const T0 = 1_800_000_000_000;
const POLICY: GatePolicy = { max: 3, windowMs: 60_000, lockoutMs: 10_000, lockoutMaxMs: 25_000, holdMs: 30_000 };

interface Subject {
  store: CounterStore;
  /** Keys the store holds (Redis only; the memory store is checked through its answers). */
  keys: () => Promise<number | null>;
  bounded: boolean;
}

type Case = [name: string, run: (s: Subject) => Promise<void>];

const CASES: Case[] = [
  [
    'window edges: a point counts until resetAt, and the next one opens a fresh window',
    async ({ store }) => {
      expect(await store.add('w', 1, 1000, T0)).toEqual({ count: 1, resetAt: T0 + 1000 });
      expect(await store.add('w', 1, 1000, T0 + 999)).toEqual({ count: 2, resetAt: T0 + 1000 });
      expect(await store.get('w', T0 + 999)).toEqual({ count: 2, resetAt: T0 + 1000 });
      expect(await store.get('w', T0 + 1000)).toBeNull();
      expect(await store.add('w', 1, 1000, T0 + 1000)).toEqual({ count: 1, resetAt: T0 + 2000 });
    },
  ],
  [
    'refunds: a point given back lowers the count, never below zero, and a window given back to zero is gone',
    async ({ store, keys }) => {
      const before = await keys();
      await store.add('r', 1, 1000, T0);
      await store.add('r', 1, 1000, T0);
      expect((await store.add('r', -1, 1000, T0)).count).toBe(1);
      expect((await store.add('r', -1, 1000, T0)).count).toBe(0);
      expect(await store.get('r', T0)).toBeNull();
      expect(await keys()).toBe(before);
      expect((await store.add('r', -1, 1000, T0)).count).toBe(0);
      expect(await keys()).toBe(before);
    },
  ],
  [
    'gate: at most max checks at once, a completed run locks, the lock doubles up to its cap',
    async ({ store }) => {
      for (const id of ['a', 'b', 'c']) {
        expect(await store.reserve('g', id, POLICY, T0)).toEqual({ state: 'reserved' });
      }
      expect(await store.reserve('g', 'd', POLICY, T0)).toEqual({ state: 'wait' });
      expect(await store.settle('g', 'a', 'failure', POLICY, T0)).toBe(0);
      expect(await store.settle('g', 'b', 'failure', POLICY, T0)).toBe(0);
      expect(await store.settle('g', 'c', 'failure', POLICY, T0)).toBe(10_000);
      expect(await store.reserve('g', 'e', POLICY, T0 + 9_999)).toEqual({ state: 'locked', until: T0 + 10_000 });
      const locks: number[] = [];
      let now = T0 + 10_000;
      for (let run = 0; run < 2; run++) {
        for (const id of ['x', 'y', 'z']) {
          await store.reserve('g', id, POLICY, now);
          const lock = await store.settle('g', id, 'failure', POLICY, now);
          if (lock > 0) {
            locks.push(lock);
            now += lock;
          }
        }
      }
      expect(locks).toEqual([20_000, 25_000]);
      await store.reserve('g', 's', POLICY, now);
      await store.settle('g', 's', 'success', POLICY, now);
      expect(await store.reserve('g', 't', POLICY, now)).toEqual({ state: 'reserved' });
    },
  ],
  [
    'clock moves: failures are forgotten after their window, a dead reservation after holdMs',
    async ({ store }) => {
      await store.reserve('c', 'a', POLICY, T0);
      await store.settle('c', 'a', 'failure', POLICY, T0);
      await store.reserve('c', 'b', POLICY, T0);
      await store.reserve('c', 'held', POLICY, T0);
      // Two failures... one settles 'b' as a failure; 'held' never settles (its instance died).
      await store.settle('c', 'b', 'failure', POLICY, T0);
      expect(await store.reserve('c', 'x', POLICY, T0 + 1)).toEqual({ state: 'wait' });
      expect(await store.reserve('c', 'x', POLICY, T0 + POLICY.holdMs)).toEqual({ state: 'reserved' });
      await store.settle('c', 'x', 'abort', POLICY, T0 + POLICY.holdMs);
      // A minute after the last failure the run is forgotten: three fresh places.
      const later = T0 + POLICY.windowMs;
      for (const id of ['p', 'q', 'r']) {
        expect(await store.reserve('c', id, POLICY, later)).toEqual({ state: 'reserved' });
      }
    },
  ],
  [
    'flood: attempts refused by a locked or full gate write nothing',
    async ({ store, keys }) => {
      expect(await store.reserve('f', 'a', POLICY, T0)).toEqual({ state: 'reserved' });
      await store.reserve('f', 'b', POLICY, T0);
      await store.reserve('f', 'c', POLICY, T0);
      const before = await keys();
      for (let i = 0; i < 500; i++) {
        expect((await store.reserve('f', `junk${i}`, POLICY, T0)).state).toBe('wait');
      }
      expect(await keys()).toBe(before);
      // The three places are still the three checks in flight, not the junk.
      expect(await store.settle('f', 'a', 'failure', POLICY, T0)).toBe(0);
      expect(await store.settle('f', 'b', 'failure', POLICY, T0)).toBe(0);
      expect(await store.settle('f', 'c', 'failure', POLICY, T0)).toBe(10_000);
    },
  ],
  [
    'eviction pressure: a pinned counter and a gate outlive 10× the key bound of junk',
    async ({ store, bounded }) => {
      await store.add('ceiling', 7, 3_600_000, T0, true);
      await store.reserve('lock', 'a', POLICY, T0);
      await store.settle('lock', 'a', 'failure', POLICY, T0);
      let refused = 0;
      for (let i = 0; i < MAX_KEYS * 10; i++) {
        await store.add(`junk${i}`, 1, 3_600_000, T0);
        try {
          await store.add(`pinned-junk${i}`, 1, 3_600_000, T0, true);
          await store.reserve(`gate-junk${i}`, 'a', POLICY, T0);
        } catch (e) {
          expect(e).toBeInstanceOf(StoreFullError);
          refused += 1;
        }
      }
      expect(await store.get('ceiling', T0)).toEqual({ count: 7, resetAt: T0 + 3_600_000 });
      await store.reserve('lock', 'b', POLICY, T0);
      await store.reserve('lock', 'c', POLICY, T0);
      expect(await store.settle('lock', 'c', 'failure', POLICY, T0)).toBe(0);
      expect(await store.settle('lock', 'b', 'failure', POLICY, T0)).toBe(10_000);
      // The in-memory store refuses new security counters when full; Redis (noeviction) has no bound of its own.
      expect(refused > 0).toBe(bounded);
      if (bounded) {
        // Once the live ones have expired, new keys are accepted again.
        const later = T0 + 3_600_000;
        await store.add('after', 1, 1000, later, true);
        expect(await store.get('after', later)).toEqual({ count: 1, resetAt: later + 1000 });
      }
    },
  ],
];

describe.each(['memory', 'Redis'])('CounterStore contract (%s)', (kind) => {
  let redis: TestRedis | undefined;
  let client: Redis | undefined;

  beforeAll(() => {
    if (kind === 'Redis') {
      redis = createTestRedis();
      client = redis.client();
    }
  });
  afterAll(async () => {
    await redis?.drop();
  });

  it.each(CASES)('%s', async (_name, run) => {
    if (kind === 'memory') {
      await run({ store: new MemoryCounterStore(MAX_KEYS), keys: () => Promise.resolve(null), bounded: true });
      return;
    }
    // A prefix of its own per case, so the cases cannot see each other's keys.
    const prefix = `${redis!.prefix}${Math.random().toString(36).slice(2)}:`;
    const keys = async () => (await redis!.keys()).filter((k) => k.startsWith(prefix)).length;
    await run({ store: new RedisCounterStore(client!, prefix), keys, bounded: false });
  });
});
