import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { isIPv4 } from 'node:net';
import {
  IpFence,
  CoreAudit,
  AuditService,
  AppException,
  CoreErrors,
  type RequestContext,
} from '#src/platform/index.js';
import ipAllowlistConfig from '#src/ip-allowlist/ip-allowlist.config.js';

/**
 * Network fences per role (SPEC §9). The caller's IP is the one Fastify
 * derives with TRUST_PROXY, so a forged X-Forwarded-For does not pass the fence.
 */
@Injectable()
export class IpAllowlistService extends IpFence {
  constructor(
    @Inject(ipAllowlistConfig.KEY) private readonly lists: ConfigType<typeof ipAllowlistConfig>,
    private readonly audit: AuditService,
  ) {
    super();
  }

  isAllowed(role: string, ip: string): boolean {
    const list = this.lists[role.toLowerCase()];
    if (!list) {
      return true;
    }
    // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d.
    const mapped = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return isIPv4(mapped) ? list.check(mapped, 'ipv4') : list.check(ip, 'ipv6');
  }

  /** Refuses a request of a known account from outside its role's networks: 403 IP_NOT_ALLOWED, audited. */
  async assertAllowed(
    user: { id: number; role: string },
    ctx: RequestContext,
    audit: { sessionId?: string; reason: string },
  ): Promise<void> {
    if (!this.isAllowed(user.role, ctx.ip)) {
      await this.refuse({ userId: user.id, ctx, ...audit });
    }
  }

  async refuse(event: { userId: number; sessionId?: string; reason: string; ctx: RequestContext }): Promise<never> {
    await this.audit.record({ type: CoreAudit.ip_not_allowed, ...event });
    throw new AppException(CoreErrors.IP_NOT_ALLOWED);
  }
}
