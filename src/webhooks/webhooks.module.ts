import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import mfaConfig from '#src/mfa/mfa.config.js';
import { SecretCipher } from '#src/mfa/secret-cipher.js';
import { AuditModule } from '#src/platform/index.js';
import { WebhookAttempt } from '#src/webhooks/entities/webhook-attempt.entity.js';
import { WebhookDelivery } from '#src/webhooks/entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from '#src/webhooks/entities/webhook-endpoint.entity.js';
import { WebhookDeliveriesService } from '#src/webhooks/webhook-deliveries.service.js';
import { WebhookDispatcher } from '#src/webhooks/webhook-dispatcher.service.js';
import { WebhookEndpointsService } from '#src/webhooks/webhook-endpoints.service.js';
import { WebhookOutboxMetrics } from '#src/webhooks/webhook-outbox.metrics.js';
import { WebhookOutboxService } from '#src/webhooks/webhook-outbox.service.js';
import { WebhookRetentionJob } from '#src/webhooks/webhook-retention.job.js';
import { WebhookSecrets } from '#src/webhooks/webhook-secrets.js';
import { WebhookSender } from '#src/webhooks/webhook-sender.js';
import webhooksConfig from '#src/webhooks/webhooks.config.js';
import { WebhooksController } from '#src/webhooks/webhooks.controller.js';

/**
 * Signed webhooks over a durable outbox (SPEC §16): every audit event type, module ones included, is deliverable
 * with no instrumentation of its own, through the audit writer's in-transaction hook. A feature module like any
 * other: its own config, tables, migrations, errors and audit types, mounted by one line in AppModule.
 */
@Module({
  imports: [
    ConfigModule.forFeature(webhooksConfig),
    // The key that seals TOTP secrets also seals signing secrets (MFA_ENCRYPTION_KEY); the associated data keeps
    // the two uses apart.
    ConfigModule.forFeature(mfaConfig),
    TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery, WebhookAttempt]),
    AuditModule,
  ],
  controllers: [WebhooksController],
  providers: [
    WebhookEndpointsService,
    WebhookOutboxService,
    WebhookDeliveriesService,
    WebhookDispatcher,
    WebhookSender,
    WebhookOutboxMetrics,
    WebhookRetentionJob,
    SecretCipher,
    WebhookSecrets,
  ],
  exports: [WebhookDispatcher, WebhookRetentionJob],
})
export class WebhooksModule {}
