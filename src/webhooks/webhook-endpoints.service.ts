import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import {
  AppException,
  AuditService,
  type AuthUser,
  Clock,
  CoreErrors,
  isAuditEventType,
  type RequestContext,
} from '#src/platform/index.js';
import type { CreateWebhookDto } from '#src/webhooks/dto/create-webhook.dto.js';
import type { UpdateWebhookDto } from '#src/webhooks/dto/update-webhook.dto.js';
import type { CreatedWebhookDto, RotatedSecretDto, WebhookViewDto } from '#src/webhooks/dto/webhook-view.dto.js';
import { WebhookAttempt } from '#src/webhooks/entities/webhook-attempt.entity.js';
import { WebhookDelivery } from '#src/webhooks/entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from '#src/webhooks/entities/webhook-endpoint.entity.js';
import { checkUrl } from '#src/webhooks/url-guard.js';
import { WebhookSecrets } from '#src/webhooks/webhook-secrets.js';
import { WebhookAudit, WebhookErrors } from '#src/webhooks/webhooks.definitions.js';
import webhooksConfig from '#src/webhooks/webhooks.config.js';
import { createdView, endpointView } from '#src/webhooks/webhook-views.js';

/** Standard Webhooks secrets: `whsec_` + base64 of 24 to 64 random bytes; 32 bytes is a full HMAC-SHA256 key. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** The reason a row shows if its creation stopped before the secret was sealed: delete it and create it again. */
const UNSEALED = 'creation did not complete';

interface Subscription {
  id: number;
  events: Set<string> | '*';
}

/**
 * The one writer of `webhook_endpoints`. Keeps the enabled subscriptions in memory, so deciding whether an audit
 * event needs an outbox row costs no query on the login path; the dispatcher reloads them on every poll, so
 * changes made on another instance arrive within a poll interval.
 */
@Injectable()
export class WebhookEndpointsService implements OnApplicationBootstrap {
  private subscriptions: Subscription[] = [];

  constructor(
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly secrets: WebhookSecrets,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const enabled = await this.endpoints.find({ where: { enabled: true }, select: { id: true, events: true } });
    this.subscriptions = enabled.map((e) => {
      const events = JSON.parse(e.events) as string[];
      return { id: e.id, events: events.includes('*') ? '*' : new Set(events) };
    });
  }

  /** The enabled endpoints subscribed to `type`: disabled ones get nothing queued (SPEC §16). */
  subscribersOf(type: string): number[] {
    return this.subscriptions.filter((s) => s.events === '*' || s.events.has(type)).map((s) => s.id);
  }

  async list(): Promise<WebhookViewDto[]> {
    return (await this.endpoints.find({ order: { id: 'ASC' } })).map(endpointView);
  }

  async get(id: number): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findOneBy({ id });
    if (!endpoint) {
      throw new AppException(CoreErrors.NOT_FOUND);
    }
    return endpoint;
  }

  async create(admin: AuthUser, dto: CreateWebhookDto, ctx: RequestContext): Promise<CreatedWebhookDto> {
    await this.checkUrl(dto.url);
    const now = this.clock.now();
    const secret = newSecret();
    const endpoint = this.endpoints.create({
      url: dto.url,
      events: this.eventsJson(dto.events),
      description: dto.description ?? null,
      enabled: false,
      disabledReason: UNSEALED,
      secret: '',
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    });
    // The sealed secret is bound to the row's id, known only after the insert. No transaction (TypeORM shares one
    // connection on SQLite, so other requests' queries would join it): the row is born disabled and one UPDATE
    // seals the secret and enables it, so a crash in between leaves a disabled endpoint that says why.
    await this.endpoints.save(endpoint);
    endpoint.secret = this.secrets.seal(endpoint.id, secret);
    endpoint.enabled = true;
    endpoint.disabledReason = null;
    await this.endpoints.update({ id: endpoint.id }, { secret: endpoint.secret, enabled: true, disabledReason: null });
    await this.changed(WebhookAudit.webhook_created, admin, endpoint.id, ctx);
    return createdView(endpoint, secret);
  }

  async update(admin: AuthUser, id: number, dto: UpdateWebhookDto, ctx: RequestContext): Promise<WebhookViewDto> {
    const endpoint = await this.get(id);
    if (dto.url !== undefined) {
      await this.checkUrl(dto.url);
      endpoint.url = dto.url;
    }
    if (dto.events !== undefined) {
      endpoint.events = this.eventsJson(dto.events);
    }
    if (dto.description !== undefined) {
      endpoint.description = dto.description;
    }
    if (dto.enabled !== undefined) {
      endpoint.enabled = dto.enabled;
      endpoint.disabledReason = null;
    }
    endpoint.updatedAt = this.clock.now();
    await this.endpoints.save(endpoint);
    await this.changed(WebhookAudit.webhook_updated, admin, id, ctx);
    return endpointView(endpoint);
  }

  /**
   * Removes the endpoint, then its deliveries and their log. The endpoint goes first, so nothing new is queued or
   * sent for it; a crash in between leaves only rows that no endpoint owns, which retention removes.
   */
  async remove(admin: AuthUser, id: number, ctx: RequestContext): Promise<null> {
    await this.get(id);
    await this.endpoints.delete({ id });
    await this.reload();
    await this.endpoints.manager.delete(WebhookDelivery, { endpointId: id });
    await this.endpoints.manager.delete(WebhookAttempt, { endpointId: id });
    await this.changed(WebhookAudit.webhook_deleted, admin, id, ctx);
    return null;
  }

  /** SPEC §16: a new secret, shown once; the old one keeps signing beside it for 24 h so receivers can switch. */
  async rotateSecret(admin: AuthUser, id: number, ctx: RequestContext): Promise<RotatedSecretDto> {
    const endpoint = await this.get(id);
    const now = this.clock.now();
    const secret = newSecret();
    // Both columns are sealed under the same row binding, so the current secret moves over as it is.
    endpoint.previousSecret = endpoint.secret;
    endpoint.previousSecretExpiresAt = now + this.config.secretOverlapMs;
    endpoint.secret = this.secrets.seal(id, secret);
    endpoint.updatedAt = now;
    await this.endpoints.save(endpoint);
    await this.changed(WebhookAudit.webhook_secret_rotated, admin, id, ctx);
    return {
      secret,
      previous_secret_expires_at: new Date(endpoint.previousSecretExpiresAt).toISOString(),
    };
  }

  /** A receiver answered 410 Gone: it asked for nothing more (SPEC §16); the reason stays on the record. */
  async disable(id: number, reason: string): Promise<void> {
    await this.endpoints.update({ id }, { enabled: false, disabledReason: reason, updatedAt: this.clock.now() });
    await this.reload();
    await this.audit.record({ type: WebhookAudit.webhook_disabled, reason: `webhook ${id}: ${reason}` });
  }

  /** The secrets that sign now, unsealed: the current one, and the rotated one until its overlap ends. */
  signingSecrets(endpoint: WebhookEndpoint, now: number): string[] {
    const current = this.secrets.open(endpoint.id, endpoint.secret);
    const previous = endpoint.previousSecret;
    return previous && (endpoint.previousSecretExpiresAt ?? 0) > now
      ? [current, this.secrets.open(endpoint.id, previous)]
      : [current];
  }

  private eventsJson(events: string[]): string {
    const unique = [...new Set(events)];
    const wildcard = unique.includes('*');
    if ((wildcard && unique.length > 1) || (!wildcard && !unique.every((type) => isAuditEventType(type)))) {
      throw new AppException(WebhookErrors.WEBHOOK_EVENT_UNKNOWN);
    }
    return JSON.stringify(unique);
  }

  private async checkUrl(url: string): Promise<void> {
    const refused = await checkUrl(url, this.config);
    if (refused) {
      // The reason goes to the admin who sent the URL; it names no internal detail beyond their own input.
      throw new AppException(WebhookErrors.WEBHOOK_URL_NOT_ALLOWED);
    }
  }

  private async changed(type: string, admin: AuthUser, id: number, ctx: RequestContext): Promise<void> {
    await this.reload();
    await this.audit.record({ type, userId: admin.userId, sessionId: admin.sessionId, reason: `webhook ${id}`, ctx });
  }
}
