import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { isIPv4 } from 'node:net';
import ipAllowlistConfig from '#src/ip-allowlist/ip-allowlist.config.js';

/**
 * Network fences per role (SPEC §9). The caller's IP is the one Fastify
 * derives with TRUST_PROXY, so a forged X-Forwarded-For does not pass the fence.
 */
@Injectable()
export class IpAllowlistService {
  constructor(@Inject(ipAllowlistConfig.KEY) private readonly lists: ConfigType<typeof ipAllowlistConfig>) {}

  isAllowed(role: string, ip: string): boolean {
    const list = this.lists[role.toLowerCase()];
    if (!list) {
      return true;
    }
    // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d.
    const mapped = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return isIPv4(mapped) ? list.check(mapped, 'ipv4') : list.check(ip, 'ipv6');
  }
}
