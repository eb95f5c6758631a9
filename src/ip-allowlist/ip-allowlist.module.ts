import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { IpFence, AuditModule } from '#src/platform/index.js';
import ipAllowlistConfig from '#src/ip-allowlist/ip-allowlist.config.js';
import { IpAllowlistService } from '#src/ip-allowlist/ip-allowlist.service.js';

/**
 * The per-role fences, behind the core's `IpFence` port (auth/login-ports.ts): `SecurityGuard` applies them to
 * requests, the admission service to logins. Global, so AuthModule receives the port without importing this module.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(ipAllowlistConfig), AuditModule],
  providers: [IpAllowlistService, { provide: IpFence, useExisting: IpAllowlistService }],
  exports: [IpAllowlistService, IpFence],
})
export class IpAllowlistModule {}
