import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Page } from '#src/platform/index.js';
import type { WebhookAttemptViewDto } from '#src/webhooks/dto/webhook-view.dto.js';
import { WebhookAttempt } from '#src/webhooks/entities/webhook-attempt.entity.js';
import { WebhookDelivery } from '#src/webhooks/entities/webhook-delivery.entity.js';
import { WebhookEndpointsService } from '#src/webhooks/webhook-endpoints.service.js';

interface AttemptRow {
  id: number | string;
  delivery_id: number | string;
  event_id: string;
  event_type: string;
  attempt: number | string;
  delivery_status: string;
  status_code: number | string | null;
  duration_ms: number | string;
  error: string | null;
  next_attempt_at: number | string | null;
  created_at: number | string;
}

const iso = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The delivery log (SPEC §16): one row per attempt, newest first, with its delivery's event id and type. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    @InjectRepository(WebhookAttempt) private readonly attempts: Repository<WebhookAttempt>,
    private readonly endpoints: WebhookEndpointsService,
  ) {}

  async list(endpointId: number, page: number, pageSize: number): Promise<Page<WebhookAttemptViewDto>> {
    await this.endpoints.get(endpointId);
    const query = this.attempts
      .createQueryBuilder('a')
      .innerJoin(WebhookDelivery, 'd', 'd.id = a.delivery_id')
      .where('a.endpoint_id = :endpointId', { endpointId });
    const [rows, total] = await Promise.all([
      query
        .clone()
        .select([
          'a.id AS id',
          'a.delivery_id AS delivery_id',
          'd.event_id AS event_id',
          'd.event_type AS event_type',
          'a.attempt AS attempt',
          'd.status AS delivery_status',
          'a.status_code AS status_code',
          'a.duration_ms AS duration_ms',
          'a.error AS error',
          'a.next_attempt_at AS next_attempt_at',
          'a.created_at AS created_at',
        ])
        .orderBy('a.id', 'DESC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getRawMany<AttemptRow>(),
      query.getCount(),
    ]);
    return { items: rows.map(view), page, page_size: pageSize, total };
  }
}

function view(row: AttemptRow): WebhookAttemptViewDto {
  return {
    id: Number(row.id),
    delivery_id: Number(row.delivery_id),
    event_id: row.event_id,
    event_type: row.event_type,
    attempt: Number(row.attempt),
    delivery_status: row.delivery_status,
    status_code: row.status_code === null ? null : Number(row.status_code),
    duration_ms: Number(row.duration_ms),
    error: row.error,
    next_attempt_at: iso(row.next_attempt_at),
    created_at: iso(row.created_at)!,
  };
}
