import { Module, type INestApplicationContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import { PasswordService } from '#src/passwords/password.service.js';
import { CommonModule } from '#src/common/common.module.js';
import appConfig from '#src/config/app.config.js';
import { AppConfigModule } from '#src/config/config.module.js';
import { DatabaseModule } from '#src/database/database.module.js';
import { User } from '#src/users/entities/user.entity.js';
import { ProfileCache } from '#src/users/profile-cache.service.js';
import { UsersService } from '#src/users/users.service.js';

/**
 * What the commands need and nothing else: the services are provided here
 * rather than through UsersModule and AuditModule, whose controllers, pollers
 * and timers (revocation, throttling, audit retention) a one-shot command must not start.
 */
@Module({
  imports: [
    AppConfigModule,
    CommonModule,
    DatabaseModule,
    PasswordModule,
    TypeOrmModule.forFeature([User, AuditEvent]),
  ],
  providers: [UsersService, ProfileCache, AuditService],
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
