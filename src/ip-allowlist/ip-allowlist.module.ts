import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '#src/audit/audit.module.js';
import ipAllowlistConfig from '#src/ip-allowlist/ip-allowlist.config.js';
import { IpAllowlistGuard } from '#src/ip-allowlist/ip-allowlist.guard.js';
import { IpAllowlistService } from '#src/ip-allowlist/ip-allowlist.service.js';

/** Imported after AuthModule so its guard runs after authentication. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(ipAllowlistConfig), AuditModule],
  providers: [IpAllowlistService, { provide: APP_GUARD, useClass: IpAllowlistGuard }],
  exports: [IpAllowlistService],
})
export class IpAllowlistModule {}
