import type { RedisClient } from '#src/redis/redis-client.js';
import type { CounterStore, GateOutcome, GatePolicy, GateReserve, WindowState } from '#src/throttling/counter-store.js';

/**
 * The stored resetAt (from the injected Clock) decides whether a window is live; the Redis TTL only clears keys
 * afterwards. It gets a second of slack, so a window with a few milliseconds left is not dropped by Redis's own
 * clock before the instance that reads it (whose clock may lag a little) sees its end: the counter store contract
 * test caught a count lost at the last millisecond of its window.
 */
const TTL_SLACK_MS = 1000;

const ADD = `
local TTL_SLACK_MS = ${TTL_SLACK_MS}
local raw = redis.call('GET', KEYS[1])
local points, windowMs, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local count, resetAt = 0, now + windowMs
if raw then
  local c, r = string.match(raw, '^(%d+):(%d+)$')
  if c and tonumber(r) > now then count, resetAt = tonumber(c), tonumber(r) end
end
count = math.max(0, count + points)
if count == 0 and points < 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], count .. ':' .. resetAt, 'PX', resetAt - now + TTL_SLACK_MS)
end
return {count, resetAt}
`;

/**
 * The gate's state as JSON, changed by one script so reserve and settle are atomic across instances. The script is
 * the Lua twin of liveGate/reserveGate/settleGate in counter-store.ts; test/mysql-only/counter-stores.e2e-spec.ts
 * runs the same cases on both stores.
 */
const GATE = `
local TTL_SLACK_MS = ${TTL_SLACK_MS}
local op, id, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local max, windowMs, lockoutMs, lockoutMaxMs, holdMs, outcome =
  tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local raw = redis.call('GET', KEYS[1])
local s = raw and cjson.decode(raw) or {f = 0, fr = 0, n = 0, u = 0, q = {}}
if type(s.q) ~= 'table' then s.q = {} end
if s.fr <= now then s.f = 0; s.n = 0 end
local inflight = 0
local q = {}
for k, v in pairs(s.q) do
  if v > now then q[k] = v; inflight = inflight + 1 end
end
s.q = q
local result
if op == 'reserve' then
  if s.u > now then
    return {'locked', s.u}
  elseif s.f + inflight >= max then
    -- A refused attempt writes nothing (SPEC §7: a refused request creates no key).
    return {'wait', 0}
  else
    s.q[id] = now + holdMs
    result = {'reserved', 0}
  end
else
  s.q[id] = nil
  result = {'settled', 0}
  if outcome == 'success' then
    s.f = 0; s.n = 0; s.u = 0
  elseif outcome == 'failure' then
    s.f = s.f + 1
    s.fr = now + windowMs
    if s.f >= max then
      s.n = s.n + 1
      s.f = 0
      local lock = math.min(lockoutMs * 2 ^ (s.n - 1), lockoutMaxMs)
      s.u = now + lock
      result = {'settled', lock}
    end
  end
end
local last = math.max(s.fr, s.u)
for _, v in pairs(s.q) do last = math.max(last, v) end
if last > now then
  if next(s.q) == nil then s.q = cjson.decode('{}') end
  redis.call('SET', KEYS[1], cjson.encode(s), 'PX', math.ceil(last - now) + TTL_SLACK_MS)
else
  redis.call('DEL', KEYS[1])
end
return result
`;

/**
 * Shared by every instance (SPEC §7: with REDIS_URL every counter is shared). Nothing is evicted here only if the
 * server runs with `maxmemory-policy noeviction`, which ThrottlingService checks at start.
 *
 * Valid on a Redis Cluster as it is (SPEC §18): every command and script names exactly one key (both scripts touch
 * only KEYS[1], declared as their one key, so the cluster routes them to the key's master), and nothing sends two
 * keys in one command, a pipeline or a SCAN, which a cluster would refuse (CROSSSLOT) unless they shared a hash tag.
 * test/mysql-only/redis-cluster.e2e-spec.ts runs the counters on a three-master cluster.
 */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async add(key: string, points: number, windowMs: number, now: number): Promise<WindowState> {
    const [count, resetAt] = (await this.redis.eval(ADD, 1, this.key(key), points, windowMs, now)) as number[];
    return { count, resetAt };
  }

  async get(key: string, now: number): Promise<WindowState | null> {
    const raw = await this.redis.get(this.key(key));
    const match = raw ? /^(\d+):(\d+)$/.exec(raw) : null;
    return match && Number(match[2]) > now ? { count: Number(match[1]), resetAt: Number(match[2]) } : null;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  async reserve(key: string, id: string, policy: GatePolicy, now: number): Promise<GateReserve> {
    const [state, until] = await this.gate('reserve', key, id, policy, now, '');
    if (state === 'locked') {
      return { state, until: Number(until) };
    }
    return { state: state as 'reserved' | 'wait' };
  }

  async settle(key: string, id: string, outcome: GateOutcome, policy: GatePolicy, now: number): Promise<number> {
    const [, lock] = await this.gate('settle', key, id, policy, now, outcome);
    return Number(lock);
  }

  private async gate(
    op: string,
    key: string,
    id: string,
    p: GatePolicy,
    now: number,
    outcome: string,
  ): Promise<[string, number]> {
    const args = [op, id, now, p.max, p.windowMs, p.lockoutMs, p.lockoutMaxMs, p.holdMs, outcome];
    return (await this.redis.eval(GATE, 1, this.key(key), ...args)) as [string, number];
  }

  private key(key: string): string {
    return `${this.prefix}throttle:${key}`;
  }
}
