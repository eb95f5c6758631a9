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
  /**
   * Adds `points` (negative gives back, never below 0) to the live window of `key`, opening one if none is. A window
   * given back to 0 is deleted, so a refused request leaves no key behind (SPEC §7). A `pinned` counter is a security
   * counter that a store with a bound must refuse rather than forget (StoreFullError).
   */
  add(key: string, points: number, windowMs: number, now: number, pinned?: boolean): Promise<WindowState>;
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

/** The in-memory store is full of live security counters: the caller refuses the request instead (SPEC §7). */
export class StoreFullError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('the in-memory counter store is full of live security counters');
  }
}

/** A store step as a promise: a StoreFullError is a rejection, as a Redis error would be, not a synchronous throw. */
function promised<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * A bounded map that never drops a live entry (SPEC §7: a flood must not make a lockout, the per-account ceiling, an
 * MFA budget or the global code cap be forgotten). When full, it first drops the entries whose time is over; if
 * none is, it refuses the new key (OWASP ASVS 5.0 V2.4.1 / CWE-770: bounded, and fail closed rather than open).
 * `soonest` is a lower bound of every entry's expiry, so a full map under a flood refuses in O(1) and sweeps only
 * when something can have expired.
 */
class PinnedMap<V> {
  private readonly entries = new Map<string, V>();
  private soonest = Infinity;

  constructor(
    private readonly max: number,
    private readonly expiresAt: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  set(key: string, value: V, now: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.max) {
      this.sweep(now);
      if (this.entries.size >= this.max) {
        throw new StoreFullError(Math.max(1000, this.soonest - now));
      }
    }
    this.entries.set(key, value);
    this.soonest = Math.min(this.soonest, this.expiresAt(value));
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private sweep(now: number): void {
    if (now < this.soonest) {
      return;
    }
    this.soonest = Infinity;
    for (const [key, value] of this.entries) {
      const expiry = this.expiresAt(value);
      if (expiry <= now) {
        this.entries.delete(key);
      } else {
        this.soonest = Math.min(this.soonest, expiry);
      }
    }
  }
}

/**
 * In process, for a single instance. Bounded (OWASP ASVS 5.0 V15.2.2 / CWE-770: no unbounded allocation driven by
 * client input) to `maxKeys` entries in each of three parts. Ordinary windows (per IP, per destination, route limits)
 * are an LRU (lru-cache): a flood of fresh keys forgets the least recently touched. Pinned windows and the account+IP
 * gates are security counters and are never evicted while live: when their part is full of live ones, a new key is
 * refused with StoreFullError (SPEC §7). With REDIS_URL set the counters are shared and not capped here.
 */
export class MemoryCounterStore implements CounterStore {
  private readonly windows: LRUCache<string, WindowState>;
  private readonly pinned: PinnedMap<WindowState>;
  private readonly gates: PinnedMap<GateState>;

  constructor(maxKeys: number) {
    this.windows = new LRUCache({ max: maxKeys });
    this.pinned = new PinnedMap(maxKeys, (state) => state.resetAt);
    this.gates = new PinnedMap(maxKeys, (state) => gateTtl(state, 0));
  }

  add(key: string, points: number, windowMs: number, now: number, pinned = false): Promise<WindowState> {
    return promised(() => this.addNow(key, points, windowMs, now, pinned));
  }

  reserve(key: string, id: string, policy: GatePolicy, now: number): Promise<GateReserve> {
    return promised(() => this.reserveNow(key, id, policy, now));
  }

  settle(key: string, id: string, outcome: GateOutcome, policy: GatePolicy, now: number): Promise<number> {
    return promised(() => this.settleNow(key, id, outcome, policy, now));
  }

  private addNow(key: string, points: number, windowMs: number, now: number, pinned: boolean): WindowState {
    let state = pinned ? this.pinned.get(key) : this.windows.get(key);
    if (!state || state.resetAt <= now) {
      state = { count: 0, resetAt: now + windowMs };
    }
    state.count = Math.max(0, state.count + points);
    if (state.count === 0 && points < 0) {
      this.windows.delete(key);
      this.pinned.delete(key);
    } else if (pinned) {
      this.pinned.set(key, state, now);
    } else {
      this.windows.set(key, state);
    }
    return { ...state };
  }

  get(key: string, now: number): Promise<WindowState | null> {
    const state = this.pinned.get(key) ?? this.windows.get(key);
    return Promise.resolve(state && state.resetAt > now ? { ...state } : null);
  }

  delete(key: string): Promise<void> {
    this.windows.delete(key);
    this.pinned.delete(key);
    this.gates.delete(key);
    return Promise.resolve();
  }

  private reserveNow(key: string, id: string, policy: GatePolicy, now: number): GateReserve {
    const state = liveGate(this.gates.get(key), now);
    const result = reserveGate(state, id, policy, now);
    if (result.state === 'reserved') {
      this.gates.set(key, state, now);
    }
    return result;
  }

  private settleNow(key: string, id: string, outcome: GateOutcome, policy: GatePolicy, now: number): number {
    const state = liveGate(this.gates.get(key), now);
    const lock = settleGate(state, id, outcome, policy, now);
    if (gateTtl(state, now) > 0) {
      this.gates.set(key, state, now);
    } else {
      this.gates.delete(key);
    }
    return lock;
  }
}
