import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** A fixed window: `count` points taken since it opened, until `resetAt` (epoch ms). */
export interface WindowState {
  count: number;
  resetAt: number;
}

/** The account+IP gate's policy, in milliseconds. */
export interface GatePolicy {
  /** Failures before a lockout. */
  max: number;
  /** How long failures and lockouts are remembered. */
  windowMs: number;
  lockoutMs: number;
  lockoutMaxMs: number;
  /** A reservation not settled within this time (a crashed instance) stops counting as in flight. */
  holdMs: number;
}

export type GateReserve =
  | { state: 'reserved' }
  | { state: 'locked'; until: number }
  /** The budget is taken by failures and checks in flight: wait for those to settle. */
  | { state: 'wait' };

export type GateOutcome = 'failure' | 'success' | 'abort';

/**
 * The account+IP gate: consecutive `failures`, the `lockouts` that doubled the lock, the lock's end, and the
 * reservations in flight (id → expiry). Checks in flight are not failures (keycloak#48272): only a settled wrong
 * password counts; in flight ones only hold a place in the budget, so at most `max` wrong guesses are ever checked.
 */
interface GateState {
  f: number;
  fr: number;
  n: number;
  u: number;
  q: Record<string, number>;
}

/**
 * Counters for the SPEC §7 limits, stored where the configuration says. Written here rather than taken from
 * rate-limiter-flexible (used before): its stores read `Date.now()` and Redis TTLs, so neither windows nor lockouts
 * could follow the injected Clock (STYLE 13), and it has no notion of a check in flight that holds a place in the
 * budget without being a failure, which the account+IP gate needs. Every method takes `now` from the injected
 * Clock, so windows and lockouts follow the one clock the tests move. Each call is one atomic step: synchronous in
 * process, one Lua script in Redis (which runs scripts one at a time), so racing instances never lose an update.
 */
export interface CounterStore {
  /** Adds `points` (negative gives back, never below 0) to the live window of `key`, opening one if none is. */
  add(key: string, points: number, windowMs: number, now: number): Promise<WindowState>;
  get(key: string, now: number): Promise<WindowState | null>;
  delete(key: string): Promise<void>;
  reserve(key: string, id: string, policy: GatePolicy, now: number): Promise<GateReserve>;
  /** Ends reservation `id`; answers the lockout set by this failure, in ms, or 0. */
  settle(key: string, id: string, outcome: GateOutcome, policy: GatePolicy, now: number): Promise<number>;
}

function liveGate(state: GateState | undefined, now: number): GateState {
  const s = state ?? { f: 0, fr: 0, n: 0, u: 0, q: {} };
  if (s.fr <= now) {
    s.f = 0;
    s.n = 0;
  }
  for (const [id, expires] of Object.entries(s.q)) {
    if (expires <= now) {
      delete s.q[id];
    }
  }
  return s;
}

function reserveGate(s: GateState, id: string, policy: GatePolicy, now: number): GateReserve {
  if (s.u > now) {
    return { state: 'locked', until: s.u };
  }
  if (s.f + Object.keys(s.q).length >= policy.max) {
    return { state: 'wait' };
  }
  s.q[id] = now + policy.holdMs;
  return { state: 'reserved' };
}

function settleGate(s: GateState, id: string, outcome: GateOutcome, policy: GatePolicy, now: number): number {
  delete s.q[id];
  if (outcome === 'success') {
    s.f = 0;
    s.n = 0;
    s.u = 0;
  } else if (outcome === 'failure') {
    s.f += 1;
    s.fr = now + policy.windowMs;
    if (s.f >= policy.max) {
      s.n += 1;
      s.f = 0;
      const lock = Math.min(policy.lockoutMs * 2 ** (s.n - 1), policy.lockoutMaxMs);
      s.u = now + lock;
      return lock;
    }
  }
  return 0;
}

/** Milliseconds until nothing in the gate matters any more. */
function gateTtl(s: GateState, now: number): number {
  return Math.max(s.fr, s.u, ...Object.values(s.q)) - now;
}

/**
 * In process, for a single instance. Bounded: an LRU of at most `maxKeys` entries per store (lru-cache, the
 * npm-maintained LRU, OWASP ASVS 5.0 V15.2.2 / CWE-770: no unbounded allocation driven by client input), each entry
 * also dropped once its window is over. Eviction forgets the least recently touched key, so an attacker would need
 * that many fresh keys within a window to clear one; with REDIS_URL set the counters are shared and not capped here.
 */
export class MemoryCounterStore implements CounterStore {
  private readonly windows: LRUCache<string, WindowState>;
  private readonly gates: LRUCache<string, GateState>;

  constructor(maxKeys: number) {
    this.windows = new LRUCache({ max: maxKeys });
    this.gates = new LRUCache({ max: maxKeys });
  }

  add(key: string, points: number, windowMs: number, now: number): Promise<WindowState> {
    let state = this.windows.get(key);
    if (!state || state.resetAt <= now) {
      state = { count: 0, resetAt: now + windowMs };
    }
    state.count = Math.max(0, state.count + points);
    this.windows.set(key, state);
    return Promise.resolve({ ...state });
  }

  get(key: string, now: number): Promise<WindowState | null> {
    const state = this.windows.get(key);
    return Promise.resolve(state && state.resetAt > now ? { ...state } : null);
  }

  delete(key: string): Promise<void> {
    this.windows.delete(key);
    this.gates.delete(key);
    return Promise.resolve();
  }

  reserve(key: string, id: string, policy: GatePolicy, now: number): Promise<GateReserve> {
    const state = liveGate(this.gates.get(key), now);
    const result = reserveGate(state, id, policy, now);
    this.gates.set(key, state);
    return Promise.resolve(result);
  }

  settle(key: string, id: string, outcome: GateOutcome, policy: GatePolicy, now: number): Promise<number> {
    const state = liveGate(this.gates.get(key), now);
    const lock = settleGate(state, id, outcome, policy, now);
    if (gateTtl(state, now) > 0) {
      this.gates.set(key, state);
    } else {
      this.gates.delete(key);
    }
    return Promise.resolve(lock);
  }
}

const ADD = `
local raw = redis.call('GET', KEYS[1])
local points, windowMs, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local count, resetAt = 0, now + windowMs
if raw then
  local c, r = string.match(raw, '^(%d+):(%d+)$')
  if c and tonumber(r) > now then count, resetAt = tonumber(c), tonumber(r) end
end
count = math.max(0, count + points)
redis.call('SET', KEYS[1], count .. ':' .. resetAt, 'PX', math.max(1, resetAt - now))
return {count, resetAt}
`;

/**
 * The gate's state as JSON, changed by one script so reserve and settle are atomic across instances. The script is
 * the Lua twin of liveGate/reserveGate/settleGate above; the unit spec runs the same cases on both stores.
 */
const GATE = `
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
    result = {'locked', s.u}
  elseif s.f + inflight >= max then
    result = {'wait', 0}
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
  redis.call('SET', KEYS[1], cjson.encode(s), 'PX', math.ceil(last - now))
else
  redis.call('DEL', KEYS[1])
end
return result
`;

/** Shared by every instance (SPEC §7: with REDIS_URL every counter is shared). */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: Redis,
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
