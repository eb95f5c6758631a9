import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppException, AuditService, Clock, CoreErrors, type RecordedAuditEvent } from '#src/platform/index.js';
import type { QueuedDeliveryDto } from '#src/webhooks/dto/webhook-view.dto.js';
import { WebhookDelivery } from '#src/webhooks/entities/webhook-delivery.entity.js';
import { auditPayload, newEventId, testPayload } from '#src/webhooks/webhook-payload.js';
import { WebhookEndpointsService } from '#src/webhooks/webhook-endpoints.service.js';
import { WebhookErrors, WEBHOOK_TEST_EVENT } from '#src/webhooks/webhooks.definitions.js';

/**
 * Puts deliveries in the outbox. Audit events go in through AuditService's in-transaction hook, so an event and
 * its deliveries commit together or not at all (SPEC §16, the transactional outbox pattern): no event is lost
 * between the audit write and a queue, and no delivery exists for an event that rolled back.
 */
@Injectable()
export class WebhookOutboxService implements OnModuleInit {
  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly endpoints: WebhookEndpointsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.audit.onRecordInTransaction({
      wants: (event) => this.endpoints.subscribersOf(event.type).length > 0,
      rows: (event) => [{ table: 'webhook_deliveries', rows: this.outboxRows(event) }],
    });
  }

  /** One `webhook_deliveries` row per subscribed endpoint, by column name, for the audit row's transaction. */
  private outboxRows(event: RecordedAuditEvent): Record<string, string | number | null>[] {
    const payload = auditPayload(event);
    return this.endpoints.subscribersOf(event.type).map((endpointId) => ({
      endpoint_id: endpointId,
      event_id: newEventId(),
      event_type: event.type,
      payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: event.createdAt,
      lease_until: null,
      lease_owner: null,
      created_at: event.createdAt,
      updated_at: event.createdAt,
    }));
  }

  /** SPEC §16 test-send: a `webhook.test` event to this endpoint, whatever its filter. */
  async enqueueTest(endpointId: number): Promise<QueuedDeliveryDto> {
    await this.endpoints.get(endpointId);
    const now = this.clock.now();
    const row = this.row(endpointId, WEBHOOK_TEST_EVENT, testPayload(WEBHOOK_TEST_EVENT, endpointId, now), now);
    await this.deliveries.insert(row);
    return { delivery_id: row.id, event_id: row.eventId, event_type: row.eventType };
  }

  /** A new attempt of a delivered or failed delivery, with the same `webhook-id` (SPEC §16). */
  async redeliver(endpointId: number, deliveryId: number): Promise<QueuedDeliveryDto> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId, endpointId });
    if (!delivery) {
      throw new AppException(CoreErrors.NOT_FOUND);
    }
    const now = this.clock.now();
    const result = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({ status: 'pending', nextAttemptAt: now, leaseUntil: null, leaseOwner: null, updatedAt: now })
      .where("id = :id AND status <> 'pending'", { id: deliveryId })
      .execute();
    if (result.affected !== 1) {
      throw new AppException(WebhookErrors.WEBHOOK_DELIVERY_PENDING);
    }
    return { delivery_id: delivery.id, event_id: delivery.eventId, event_type: delivery.eventType };
  }

  private row(endpointId: number, eventType: string, payload: string, now: number): WebhookDelivery {
    return this.deliveries.create({
      endpointId,
      eventId: newEventId(),
      eventType,
      payload,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      leaseOwner: null,
      createdAt: now,
      updatedAt: now,
    });
  }
}
