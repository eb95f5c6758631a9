import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '#src/audit/audit.module.js';
import ipAllowlistConfig from '#src/ip-allowlist/ip-allowlist.config.js';
import { IpAllowlistService } from '#src/ip-allowlist/ip-allowlist.service.js';

/** The per-role fences; `SecurityGuard` (AuthModule) applies them to requests, AuthService to logins. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(ipAllowlistConfig), AuditModule],
  providers: [IpAllowlistService],
  exports: [IpAllowlistService],
})
export class IpAllowlistModule {}
