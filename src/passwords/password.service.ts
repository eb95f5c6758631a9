import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { hash as argon2Hash, parseOptions, verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import passwordConfig from '#src/passwords/password.config.js';
import { HashQueue } from '#src/passwords/hash-queue.js';
import { lowerBackgroundThreads } from '#src/passwords/thread-priority.js';

/** `Algorithm.Argon2id` of @node-rs/argon2, an ambient const enum that isolated modules cannot read. */
const ARGON2ID = 2;
const BCRYPT_PREFIX = /^\$2[aby]\$/;
/** A whole bcrypt hash: cost, then 22 characters of salt and 31 of digest. */
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * NIST SP 800-63B §5.1.1.2: normalise with NFKC before hashing, so the same
 * password typed on two keyboards gives the same hash. Never trimmed or
 * truncated (the seed's bcrypt silently cut at 72 bytes).
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** How long one job waited in the queue, or how long one hash or verify took. */
export interface HashTiming {
  kind: 'wait' | 'hash';
  seconds: number;
}

@Injectable()
export class PasswordService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PasswordService.name);
  private readonly queue: HashQueue;
  private dummyHash: Promise<string> | undefined;
  private readonly timingListeners: Array<(timing: HashTiming) => void> = [];

  constructor(@Inject(passwordConfig.KEY) private readonly config: ConfigType<typeof passwordConfig>) {
    this.queue = new HashQueue(config.hashConcurrency, config.hashQueueMax, {
      // Durations are measured, not decided on: a monotonic sub-millisecond timer, which a test's clock move
      // cannot distort (a 1 MiB test hash takes well under the wall clock's millisecond).
      now: () => performance.now(),
      waited: (ms) => this.emitTiming({ kind: 'wait', seconds: ms / 1000 }),
      ran: (ms) => this.emitTiming({ kind: 'hash', seconds: ms / 1000 }),
    });
  }

  /** The hashing threads yield to the event loop (BACKGROUND_THREAD_NICE; see `lowerBackgroundThreads`). */
  async onApplicationBootstrap(): Promise<void> {
    const lowered = await lowerBackgroundThreads(this.config.backgroundThreadNice);
    if (lowered > 0) {
      this.logger.debug(
        `${lowered} threads beside the event loop run ${this.config.backgroundThreadNice} nice steps lower`,
      );
    }
  }

  /** Called after each job's wait for a slot and after each hash or verify (for metrics). */
  onTiming(listener: (timing: HashTiming) => void): void {
    this.timingListeners.push(listener);
  }

  /** Jobs running or waiting in the hashing queue. */
  get queueDepth(): number {
    return this.queue.depth;
  }

  /** Hashes and verifies the queue holds at once, running or waiting (HASH_CONCURRENCY + HASH_QUEUE_MAX). */
  get queueCapacity(): number {
    return this.queue.capacity;
  }

  /** True when a hash or verify asked for now would be refused with 503 (every slot busy, the line full). */
  get queueFull(): boolean {
    return this.queue.full;
  }

  /**
   * Counts a request refused because `queueFull` before it asked for a hash (issue 16: login and registration are
   * refused before any other work); it answers what `queueFullError()` describes, as `hash()`/`verify()` would.
   */
  countEarlyRefusal(): void {
    this.queue.rejected++;
  }

  /** Hashing jobs refused with 503 because the queue was full, since start. */
  get queueRejections(): number {
    return this.queue.rejected;
  }

  /** A fresh Argon2id hash at the configured parameters (OWASP Password Storage Cheat Sheet). */
  hash(password: string): Promise<string> {
    return this.queue.run(() =>
      argon2Hash(normalizePassword(password), {
        algorithm: ARGON2ID,
        memoryCost: this.config.memoryKib,
        timeCost: this.config.timeCost,
        parallelism: this.config.parallelism,
      }),
    );
  }

  /** Checks a password against an Argon2 (any variant) or a bcrypt hash. Never throws on a malformed hash. */
  verify(hash: string, password: string): Promise<boolean> {
    return this.queue.run(async () => {
      const normalized = normalizePassword(password);
      if (await this.verifyOne(hash, normalized)) {
        return true;
      }
      // Imported hashes may have been made from the raw, unnormalised password.
      return normalized !== password && this.verifyOne(hash, password);
    });
  }

  /**
   * The same work as a real verify, for an identifier that matches no
   * account, so response time does not reveal which accounts exist
   * (OWASP Authentication Cheat Sheet, "Authentication and Error Messages").
   */
  async verifyDummy(password: string): Promise<false> {
    // A failure (a full queue answering 503) must not be cached: every later unknown login would fail with it.
    this.dummyHash ??= this.hash(randomBytes(16).toString('hex')).catch((e: unknown) => {
      this.dummyHash = undefined;
      throw e;
    });
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /**
   * Checks a login's password against the account's stored hash, at no less cost than a wrong password for an
   * unknown account (SPEC §6; OWASP Authentication Cheat Sheet, "Authentication and Error Messages"): a hash that
   * cannot match (empty after a code sign-up or reclaim, malformed) pays the dummy Argon2 verify instead of
   * answering at once, and a legacy bcrypt hash, whose cost may be far below ours (imported at cost 8 or 10), pays
   * the dummy verify on top of its own, so timing tells neither kind of account apart from an unknown one.
   */
  async verifyLogin(hash: string, password: string): Promise<boolean> {
    if (!PasswordService.isUsableHash(hash)) {
      return this.verifyDummy(password);
    }
    if (PasswordService.isLegacyHash(hash)) {
      const [valid] = await Promise.all([this.verify(hash, password), this.verifyDummy(password)]);
      return valid;
    }
    return this.verify(hash, password);
  }

  /** bcrypt, another Argon2 variant, or weaker parameters than configured: replace after the next login. */
  needsRehash(hash: string): boolean {
    if (!hash.startsWith('$argon2')) {
      return true;
    }
    try {
      const options = parseOptions(hash);
      return (
        (options.algorithm as number) !== ARGON2ID ||
        options.memoryCost < this.config.memoryKib ||
        options.timeCost < this.config.timeCost ||
        options.parallelism < this.config.parallelism
      );
    } catch {
      return true;
    }
  }

  /**
   * Whether a stored hash can match any password: an Argon2 or bcrypt hash. Empty (a code sign-up, a reclaimed
   * account) or malformed ones cannot, and the account counts as having no password (`has_password`, SPEC §3).
   */
  static isUsableHash(hash: string): boolean {
    if (BCRYPT_HASH.test(hash)) {
      return true;
    }
    try {
      return hash.startsWith('$argon2') && parseOptions(hash) !== undefined;
    } catch {
      return false;
    }
  }

  /** A bcrypt hash (`$2a$`, `$2b$`, `$2y$`): kept only until its owner next logs in. */
  static isLegacyHash(hash: string): boolean {
    return BCRYPT_PREFIX.test(hash);
  }

  private emitTiming(timing: HashTiming): void {
    for (const listener of this.timingListeners) {
      listener(timing);
    }
  }

  private async verifyOne(hash: string, password: string): Promise<boolean> {
    try {
      if (BCRYPT_PREFIX.test(hash)) {
        return await bcrypt.compare(password, hash);
      }
      return await argon2Verify(hash, password);
    } catch {
      return false;
    }
  }
}
