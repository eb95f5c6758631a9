import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface UrlGuardOptions {
  production: boolean;
  allowedNetworks: BlockList | null;
}

/** Why a URL or address is refused; null when it is allowed. */
export type GuardVerdict = string | null;

/**
 * Only plain public unicast is reachable by default: private, loopback, link-local (cloud metadata at
 * 169.254.169.254), CGNAT, unique-local, multicast and reserved ranges are refused (OWASP SSRF Prevention Cheat
 * Sheet; OWASP ASVS 5.0 V1.3.6). IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

function isAllowedNetwork(address: string, allowed: BlockList | null): boolean {
  return allowed !== null && allowed.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** One resolved address: allowed when public (over https) or inside WEBHOOK_ALLOWED_NETWORKS (http too). */
export function checkAddress(address: string, protocol: string, options: UrlGuardOptions): GuardVerdict {
  if (!options.production || isAllowedNetwork(address, options.allowedNetworks)) {
    return null;
  }
  if (!isPublicAddress(address)) {
    return `address ${address} is private, loopback or link-local`;
  }
  // SPEC §16: production sends secrets-signed data over TLS only (OWASP ASVS 5.0 V12.3.1).
  return protocol === 'https:' ? null : 'only https is allowed';
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** Checks a URL before it is stored, resolving its host as the sender will (SPEC §16). */
export async function checkUrl(raw: string, options: UrlGuardOptions): Promise<GuardVerdict> {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'only http and https URLs';
  }
  if (url.username || url.password) {
    return 'credentials in the URL';
  }
  if (!options.production) {
    return null;
  }
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `host ${host} does not resolve`;
  }
  for (const address of addresses) {
    const verdict = checkAddress(address, url.protocol, options);
    if (verdict) {
      return verdict;
    }
  }
  return null;
}

/**
 * A `lookup` for http(s).request that refuses a disallowed address at connect time, so a name that resolved to a
 * public address when it was saved cannot be rebound to an internal one later (DNS rebinding, OWASP SSRF Cheat
 * Sheet). Literal IPs never reach `lookup`, so the sender checks those itself with `checkAddress`.
 */
export function guardedLookup(protocol: string, options: UrlGuardOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    lookup(hostname, { ...lookupOptions, all: true }).then(
      (found) => {
        const refused = found.map((a) => checkAddress(a.address, protocol, options)).find((v) => v !== null);
        if (refused) {
          callback(Object.assign(new Error(refused), { code: 'EADDRNOTALLOWED' }), '', 0);
        } else if (lookupOptions.all) {
          (callback as (e: null, addresses: typeof found) => void)(null, found);
        } else {
          callback(null, found[0].address, found[0].family);
        }
      },
      (e: NodeJS.ErrnoException) => callback(e, '', 0),
    );
  };
}
