import { Module, type INestApplicationContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import { PasswordModule } from '#src/auth/password/password.module.js';
import { PasswordService } from '#src/auth/password/password.service.js';
import appConfig from '#src/config/app.config.js';
import { Clock, SystemClock } from '#src/common/clock.js';
import { AppConfigModule } from '#src/config/config.module.js';
import { DatabaseModule } from '#src/database/database.module.js';
import { User } from '#src/users/entities/user.entity.js';
import { UsersService } from '#src/users/users.service.js';

/**
 * What the commands need and nothing else: the services are provided here
 * rather than through UsersModule and AuditModule, whose controllers, pollers
 * and timers (revocation, throttling, audit retention) a one-shot command must not start.
 */
@Module({
  imports: [AppConfigModule, DatabaseModule, PasswordModule, TypeOrmModule.forFeature([User, AuditEvent])],
  // Clock comes from CommonModule in the app; the CLI provides the real clock here and nothing else it does not need.
  providers: [UsersService, AuditService, { provide: Clock, useClass: SystemClock }],
})
export class CliModule {}

/** The services a command works with, taken from the CLI's context or from a test app. */
export interface CliServices {
  users: UsersService;
  passwords: PasswordService;
  audit: AuditService;
  config: ConfigType<typeof appConfig>;
}

export function cliServices(context: INestApplicationContext): CliServices {
  return {
    users: context.get(UsersService),
    passwords: context.get(PasswordService),
    audit: context.get(AuditService),
    config: context.get<ConfigType<typeof appConfig>>(appConfig.KEY),
  };
}
