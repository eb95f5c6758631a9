import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from '#src/admin/admin.module.js';
import { AuditModule } from '#src/audit/audit.module.js';
import { AuthModule } from '#src/auth/auth.module.js';
import { CommonModule } from '#src/common/common.module.js';
import { ConsoleModule } from '#src/console/console.module.js';
import { AppConfigModule } from '#src/config/config.module.js';
import { DatabaseModule } from '#src/database/database.module.js';
import { HealthModule } from '#src/health/health.module.js';
import { I18nModule } from '#src/common/i18n/i18n.module.js';
import { IpAllowlistModule } from '#src/ip-allowlist/ip-allowlist.module.js';
import { MetricsModule } from '#src/metrics/metrics.module.js';
import { MfaModule } from '#src/mfa/mfa.module.js';
import { RedisModule } from '#src/redis/redis.module.js';
import { SocialModule } from '#src/social/social.module.js';
import { SessionsModule } from '#src/sessions/sessions.module.js';
import { UsersModule } from '#src/users/users.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';
import { WebhooksModule } from '#src/webhooks/webhooks.module.js';

@Module({
  imports: [
    AppConfigModule,
    CommonModule,
    ScheduleModule.forRoot(),
    // Audit events in process (`@OnEvent('audit.refresh_reuse')`, or `'audit.*'`): see docs/extending.md.
    EventEmitterModule.forRoot({ wildcard: true }),
    I18nModule,
    DatabaseModule,
    RedisModule,
    UsersModule,
    SessionsModule,
    AuditModule,
    AuthModule,
    MfaModule,
    IpAllowlistModule,
    AdminModule,
    HealthModule,
    MetricsModule,
    VerificationModule,
    ConsoleModule,
    SocialModule,
    WebhooksModule,
  ],
})
export class AppModule {}
