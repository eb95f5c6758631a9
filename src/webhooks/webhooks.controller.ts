import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiEnvelope,
  Auth,
  CoreErrors,
  type AuthUser,
  BuiltInRoles,
  CurrentUser,
  type Page,
  PaginationQueryDto,
  ReqContext,
  type RequestContext,
} from '#src/platform/index.js';
import { CreateWebhookDto } from '#src/webhooks/dto/create-webhook.dto.js';
import { UpdateWebhookDto } from '#src/webhooks/dto/update-webhook.dto.js';
import {
  CreatedWebhookDto,
  QueuedDeliveryDto,
  RotatedSecretDto,
  WebhookAttemptViewDto,
  WebhookViewDto,
} from '#src/webhooks/dto/webhook-view.dto.js';
import { WebhookErrors } from '#src/webhooks/webhooks.definitions.js';
import { WebhookDeliveriesService } from '#src/webhooks/webhook-deliveries.service.js';
import { WebhookEndpointsService } from '#src/webhooks/webhook-endpoints.service.js';
import { WebhookOutboxService } from '#src/webhooks/webhook-outbox.service.js';

/** SPEC §16: subscriptions to audit events, signed per Standard Webhooks, and their delivery log. */
@ApiTags('admin webhooks')
@Auth(BuiltInRoles.admin)
@Controller('admin/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly outbox: WebhookOutboxService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  /** Subscribes a URL to audit event types (or `["*"]`); the answer carries the secret, shown this once. */
  @Post()
  @ApiEnvelope(CreatedWebhookDto, {
    status: HttpStatus.CREATED,
    errors: [WebhookErrors.WEBHOOK_URL_NOT_ALLOWED, WebhookErrors.WEBHOOK_EVENT_UNKNOWN],
  })
  create(
    @CurrentUser() admin: AuthUser,
    @Body() dto: CreateWebhookDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<CreatedWebhookDto> {
    return this.endpoints.create(admin, dto, ctx);
  }

  /** Every subscription, without secrets. */
  @Get()
  @ApiEnvelope(WebhookViewDto, { isArray: true })
  list(): Promise<WebhookViewDto[]> {
    return this.endpoints.list();
  }

  /** Changes the URL, the events or whether it is enabled. */
  @Patch(':id')
  @ApiEnvelope(WebhookViewDto, {
    errors: [CoreErrors.NOT_FOUND, WebhookErrors.WEBHOOK_URL_NOT_ALLOWED, WebhookErrors.WEBHOOK_EVENT_UNKNOWN],
  })
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateWebhookDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<WebhookViewDto> {
    return this.endpoints.update(admin, id, dto, ctx);
  }

  /** Removes the subscription with its queued deliveries and log. */
  @Delete(':id')
  @ApiEnvelope(null, { errors: [CoreErrors.NOT_FOUND] })
  remove(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    return this.endpoints.remove(admin, id, ctx);
  }

  /** A new secret, shown once; the old one keeps signing beside it for 24 hours. */
  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(RotatedSecretDto, { errors: [CoreErrors.NOT_FOUND] })
  rotateSecret(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @ReqContext() ctx: RequestContext,
  ): Promise<RotatedSecretDto> {
    return this.endpoints.rotateSecret(admin, id, ctx);
  }

  /** Queues a `webhook.test` event to this endpoint, whatever its event filter. */
  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiEnvelope(QueuedDeliveryDto, { status: HttpStatus.ACCEPTED, errors: [CoreErrors.NOT_FOUND] })
  test(@Param('id', ParseIntPipe) id: number): Promise<QueuedDeliveryDto> {
    return this.outbox.enqueueTest(id);
  }

  /** Each attempt, newest first: event id and type, attempt number, status code, duration, error, next attempt. */
  @Get(':id/deliveries')
  @ApiEnvelope(WebhookAttemptViewDto, { paginated: true, errors: [CoreErrors.NOT_FOUND] })
  deliveriesOf(
    @Param('id', ParseIntPipe) id: number,
    @Query() query: PaginationQueryDto,
  ): Promise<Page<WebhookAttemptViewDto>> {
    return this.deliveries.list(id, query.page, query.page_size);
  }

  /** A new attempt of a delivered or failed delivery, with the same `webhook-id`; 409 while it is pending. */
  @Post(':id/deliveries/:delivery_id/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiEnvelope(QueuedDeliveryDto, {
    status: HttpStatus.ACCEPTED,
    errors: [CoreErrors.NOT_FOUND, WebhookErrors.WEBHOOK_DELIVERY_PENDING],
  })
  redeliver(
    @Param('id', ParseIntPipe) id: number,
    @Param('delivery_id', ParseIntPipe) deliveryId: number,
  ): Promise<QueuedDeliveryDto> {
    return this.outbox.redeliver(id, deliveryId);
  }
}
