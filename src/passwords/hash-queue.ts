import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';

/**
 * Runs at most `concurrency` hashing jobs at once with at most `maxWaiting`
 * queued behind them. Each Argon2 job holds its memory cost (64 MiB by
 * default), so a login flood must be refused early rather than exhaust RAM
 * (OWASP Password Storage Cheat Sheet: Argon2 parameters vs. DoS).
 */
/** Where a queue reports how long each job waited for a slot and how long it ran, in milliseconds (for metrics). */
export interface HashQueueTimings {
  now(): number;
  waited(ms: number): void;
  ran(ms: number): void;
}

/** SERVICE_UNAVAILABLE with `Retry-After: 1`: what a hashing job meets when the queue is full (SPEC §6). */
export function queueFullError(): AppException {
  return new AppException(CoreErrors.SERVICE_UNAVAILABLE, 'Too many sign-ins at once, retry shortly', {
    retryAfter: 1,
  });
}

export class HashQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Jobs refused because the queue was full (each a 503), for metrics. */
  rejected = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
    private readonly timings?: HashQueueTimings,
  ) {}

  /** Jobs running plus jobs waiting, for metrics. */
  get depth(): number {
    return this.running + this.waiting.length;
  }

  /** Jobs the queue takes at once: running plus waiting. */
  get capacity(): number {
    return this.concurrency + this.maxWaiting;
  }

  /** True when a job given now would be refused: every slot runs and the waiting line is full. */
  get full(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.maxWaiting;
  }

  /** The 503 a job meets when the queue is full, counted as a rejection. */
  refusal(): AppException {
    this.rejected++;
    return queueFullError();
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    const queuedAt = this.timings?.now() ?? 0;
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) {
        throw this.refusal();
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    const startedAt = this.timings?.now() ?? 0;
    this.timings?.waited(startedAt - queuedAt);
    try {
      return await job();
    } finally {
      this.timings?.ran((this.timings?.now() ?? 0) - startedAt);
      const next = this.waiting.shift();
      if (next) {
        next(); // hand the slot over: `running` stays the same
      } else {
        this.running--;
      }
    }
  }
}
