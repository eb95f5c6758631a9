import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock, MetricsService } from '#src/platform/index.js';
import { WebhookDelivery } from '#src/webhooks/entities/webhook-delivery.entity.js';

/** Outbox depth and the age of its oldest pending delivery, read at scrape time: a stuck outbox shows at once. */
@Injectable()
export class WebhookOutboxMetrics {
  private last = { depth: 0, oldestAgeSeconds: 0 };

  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    const read = () => this.read();
    metrics.gauge({
      name: 'gatehouse_webhook_outbox_depth',
      help: 'Webhook deliveries pending (queued or waiting for a retry)',
      async collect() {
        this.set((await read()).depth);
      },
    });
    metrics.gauge({
      name: 'gatehouse_webhook_outbox_oldest_age_seconds',
      help: 'Age of the oldest pending webhook delivery; 0 when none is pending',
      async collect() {
        this.set((await read()).oldestAgeSeconds);
      },
    });
  }

  private async read(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    try {
      const row = await this.deliveries
        .createQueryBuilder('d')
        .select('COUNT(*)', 'depth')
        .addSelect('MIN(d.created_at)', 'oldest')
        .where("d.status = 'pending'")
        .getRawOne<{ depth: number | string; oldest: number | string | null }>();
      const oldest = row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
      this.last = {
        depth: Number(row?.depth ?? 0),
        oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (this.clock.now() - oldest) / 1000),
      };
    } catch {
      // A scrape during a database outage keeps the last values rather than failing the whole page.
    }
    return this.last;
  }
}
