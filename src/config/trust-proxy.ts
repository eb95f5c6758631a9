import { isIP } from 'node:net';

/** Names that Fastify's proxy-addr expands to ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function entryError(entry: string): string | null {
  if (NAMED_RANGES.has(entry)) {
    return null;
  }
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) {
    return `"${entry}" is not an IP address, a CIDR range or loopback`;
  }
  if (prefix === undefined) {
    return null;
  }
  const bits = version === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= bits
    ? null
    : `"${entry}" has a prefix length outside 1-${bits}`;
}

/**
 * Fastify's `trustProxy`: the proxies whose X-Forwarded-For is believed
 * (SPEC §2). Unset trusts none, so the client IP is the socket address and a
 * forged header moves nothing (OWASP ASVS 5.0 V4.1: do not trust
 * client-supplied forwarding headers from untrusted peers). Fastify then takes
 * the right-most address not in this list. Read before the app module exists,
 * hence a function rather than a config namespace; a bad value stops the start.
 */
export function readTrustProxy(env: NodeJS.ProcessEnv = process.env): string[] | false {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) {
    return false;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const errors = entries.map((entry) => (entry ? entryError(entry) : 'an empty entry')).filter((e) => e !== null);
  if (errors.length > 0) {
    throw new Error(
      `Invalid configuration:\n  TRUST_PROXY: ${errors.join('; ')} (expected comma-separated IPs, CIDR ranges or loopback)`,
    );
  }
  return entries;
}
