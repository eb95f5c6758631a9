import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Counter } from 'prom-client';
import { Repository } from 'typeorm';
import { Clock, MetricsService } from '#src/platform/index.js';
import { WebhookAttempt } from '#src/webhooks/entities/webhook-attempt.entity.js';
import { WebhookDelivery } from '#src/webhooks/entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from '#src/webhooks/entities/webhook-endpoint.entity.js';
import { WebhookEndpointsService } from '#src/webhooks/webhook-endpoints.service.js';
import { type SendResult, WebhookSender } from '#src/webhooks/webhook-sender.js';
import { WEBHOOK_TEST_EVENT } from '#src/webhooks/webhooks.definitions.js';
import webhooksConfig from '#src/webhooks/webhooks.config.js';

/** Due rows read per poll; each is then claimed one by one. */
const CLAIM_BATCH = 50;
/** SPEC §16 "with jitter": up to 20 % later, never earlier, so instances retrying one receiver spread out. */
const JITTER = 0.2;

type Outcome = 'delivered' | 'retry' | 'failed' | 'gone';

/**
 * Delivers what is due, from any instance. A row is claimed with a conditional UPDATE that sets a lease only if
 * nobody holds a live one, so exactly one instance wins it on SQLite and MySQL alike (no SKIP LOCKED). An instance
 * that dies mid-delivery leaves its lease to expire, and another instance retries: at least once (SPEC §16).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  /** Distinguishes this instance's leases from another's. */
  private readonly owner = randomUUID();
  private readonly inFlight = new Map<number, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly outcomes: Counter<'outcome'>;
  private timer?: NodeJS.Timeout;
  private claiming = false;

  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectRepository(WebhookEndpoint) private readonly endpointRows: Repository<WebhookEndpoint>,
    @InjectRepository(WebhookAttempt) private readonly attempts: Repository<WebhookAttempt>,
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
    private readonly endpoints: WebhookEndpointsService,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter({
      name: 'gatehouse_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered, retry (scheduled again), failed (gave up), gone (410)',
      labelNames: ['outcome'],
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.pollIntervalMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.config.pollIntervalMs);
      this.timer.unref();
    }
  }

  /** Stops claiming and aborts what is in flight: the leases expire and another instance retries those. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stop.abort();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Claims every due row this instance has room for and delivers them; resolves when those deliveries are done.
   * The timer calls it, and tests call it after moving the clock. Returns how many rows it claimed.
   */
  async poll(): Promise<number> {
    if (this.claiming || this.stop.signal.aborted) {
      return 0;
    }
    this.claiming = true;
    const started: Promise<void>[] = [];
    try {
      await this.endpoints.reload();
      // Batch after batch, each leaving out the endpoints now at their cap, until nothing more can be claimed.
      for (;;) {
        const due = await this.due();
        let claimed = 0;
        for (const delivery of due) {
          if ((this.inFlight.get(delivery.endpointId) ?? 0) >= this.config.endpointConcurrency) {
            continue; // Per-endpoint cap: one slow receiver cannot take every slot.
          }
          if (await this.claim(delivery)) {
            started.push(this.track(delivery));
            claimed += 1;
          }
        }
        if (claimed === 0 || due.length < CLAIM_BATCH) {
          break;
        }
      }
    } finally {
      this.claiming = false;
    }
    await Promise.all(started);
    return started.length;
  }

  private async tick(): Promise<void> {
    try {
      await this.poll();
    } catch (e) {
      this.logger.warn(`webhook poll failed: ${(e as Error).message}`);
    }
  }

  /** Due rows, leaving out endpoints at their cap: a slow receiver's backlog must not hide the others' rows. */
  private due(): Promise<WebhookDelivery[]> {
    const now = this.clock.now();
    const full = [...this.inFlight].filter(([, n]) => n >= this.config.endpointConcurrency).map(([id]) => id);
    const query = this.deliveries
      .createQueryBuilder('d')
      .where("d.status = 'pending' AND d.next_attempt_at <= :now", { now })
      .andWhere('(d.lease_until IS NULL OR d.lease_until <= :now)', { now });
    if (full.length > 0) {
      query.andWhere('d.endpoint_id NOT IN (:...full)', { full });
    }
    return query.orderBy('d.next_attempt_at', 'ASC').limit(CLAIM_BATCH).getMany();
  }

  /** The conditional UPDATE: it changes the row only while nobody holds a live lease, so one claimer wins. */
  private async claim(delivery: WebhookDelivery): Promise<boolean> {
    const now = this.clock.now();
    const result = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({ leaseUntil: now + this.config.leaseMs, leaseOwner: this.owner })
      .where("id = :id AND status = 'pending' AND (lease_until IS NULL OR lease_until <= :now)", {
        id: delivery.id,
        now,
      })
      .execute();
    return result.affected === 1;
  }

  private track(delivery: WebhookDelivery): Promise<void> {
    this.inFlight.set(delivery.endpointId, (this.inFlight.get(delivery.endpointId) ?? 0) + 1);
    const job = this.deliver(delivery)
      .catch((e: Error) => this.logger.warn(`webhook delivery ${delivery.id} not recorded: ${e.message}`))
      .finally(() => {
        this.inFlight.set(delivery.endpointId, (this.inFlight.get(delivery.endpointId) ?? 1) - 1);
        this.running.delete(job);
      });
    this.running.add(job);
    return job;
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const endpoint = await this.endpointRows.findOneBy({ id: delivery.endpointId });
    if (!endpoint || (!endpoint.enabled && delivery.eventType !== WEBHOOK_TEST_EVENT)) {
      await this.finish(delivery, { statusCode: null, error: 'endpoint disabled or deleted' }, 0, 'failed');
      return;
    }
    const at = this.clock.now();
    let secrets: string[];
    try {
      secrets = this.endpoints.signingSecrets(endpoint, at);
    } catch {
      // A secret sealed under another key (MFA_ENCRYPTION_KEY changed) or damaged: an attempt that says so, retried
      // on schedule, rather than a lease that silently runs out again and again.
      const result = { statusCode: null, error: 'signing secret does not open: was MFA_ENCRYPTION_KEY changed?' };
      await this.finish(delivery, result, 0, this.outcomeOf(result, delivery.attempts + 1));
      return;
    }
    const started = performance.now();
    const result = await this.sender.send(
      endpoint.url,
      { id: delivery.eventId, at, body: delivery.payload, secrets },
      this.config,
      this.config.timeoutMs,
      this.stop.signal,
    );
    if (this.stop.signal.aborted) {
      return; // Shutting down: the lease runs out and another instance (or this one, restarted) retries.
    }
    const outcome = this.outcomeOf(result, delivery.attempts + 1);
    await this.finish(delivery, result, Math.round(performance.now() - started), outcome);
    if (outcome === 'gone') {
      await this.endpoints.disable(endpoint.id, 'receiver answered 410 Gone');
    }
  }

  private outcomeOf(result: SendResult, attempt: number): Outcome {
    const status = result.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      return 'delivered';
    }
    if (status === 410) {
      return 'gone';
    }
    return attempt <= this.config.retryScheduleMs.length ? 'retry' : 'failed';
  }

  /**
   * Moves the delivery on, then logs the attempt; only while this instance still holds the lease. Two statements
   * rather than a transaction: TypeORM shares one connection on SQLite, where an async transaction would take in
   * other requests' queries. A crash between them loses one log row, never a delivery.
   */
  private async finish(delivery: WebhookDelivery, result: SendResult, durationMs: number, outcome: Outcome) {
    const now = this.clock.now();
    const attempt = delivery.attempts + 1;
    const wait = this.config.retryScheduleMs[attempt - 1] ?? 0;
    const next = outcome === 'retry' ? now + Math.round(wait * (1 + Math.random() * JITTER)) : null;
    const moved = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({
        status: outcome === 'delivered' ? 'delivered' : outcome === 'retry' ? 'pending' : 'failed',
        attempts: attempt,
        nextAttemptAt: next ?? delivery.nextAttemptAt,
        leaseUntil: null,
        leaseOwner: null,
        updatedAt: now,
      })
      .where('id = :id AND lease_owner = :owner', { id: delivery.id, owner: this.owner })
      .execute();
    if (moved.affected !== 1) {
      return; // The lease ran out and another instance took the row: its attempt is the one that counts.
    }
    await this.attempts.insert({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt,
      statusCode: result.statusCode,
      durationMs,
      error: result.error ?? (outcome === 'delivered' ? null : `HTTP ${result.statusCode}`),
      nextAttemptAt: next,
      createdAt: now,
    });
    this.outcomes.inc({ outcome });
  }
}
