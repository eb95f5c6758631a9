import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { Clock } from '#src/platform/index.js';
import { WebhookAttempt } from '#src/webhooks/entities/webhook-attempt.entity.js';
import { WebhookDelivery } from '#src/webhooks/entities/webhook-delivery.entity.js';
import webhooksConfig from '#src/webhooks/webhooks.config.js';

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes delivered and failed deliveries, and attempts, older than WEBHOOK_RETENTION, every hour, as the audit
 * retention does for audit events. Pending deliveries stay, however old: they are still owed.
 */
@Injectable()
export class WebhookRetentionJob {
  private readonly logger = new Logger(WebhookRetentionJob.name);

  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectRepository(WebhookAttempt) private readonly attempts: Repository<WebhookAttempt>,
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
    private readonly clock: Clock,
  ) {}

  /** Returns how many deliveries and attempts it removed. */
  async prune(): Promise<{ deliveries: number; attempts: number }> {
    if (this.config.retentionMs === 0) {
      return { deliveries: 0, attempts: 0 };
    }
    const cutoff = this.clock.now() - this.config.retentionMs;
    const attempts = await this.attempts.delete({ createdAt: LessThan(cutoff) });
    const deliveries = await this.deliveries.delete({
      status: In(['delivered', 'failed']),
      updatedAt: LessThan(cutoff),
    });
    return { deliveries: deliveries.affected ?? 0, attempts: attempts.affected ?? 0 };
  }

  @Interval('webhook-retention', PRUNE_INTERVAL_MS)
  async run(): Promise<void> {
    try {
      const removed = await this.prune();
      if (removed.deliveries + removed.attempts > 0) {
        this.logger.log(`pruned ${removed.deliveries} webhook deliveries and ${removed.attempts} attempts`);
      }
    } catch (e) {
      this.logger.warn(`webhook pruning failed: ${(e as Error).message}`);
    }
  }
}
