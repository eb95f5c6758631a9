import ipaddr from 'ipaddr.js';

/**
 * The unit an IP limit counts. An IPv6 client usually holds a whole /64 (RFC 4291 §2.5.1, RFC 7421: SLAAC gives each
 * host a /64), so counting full addresses would give one attacker 2^64 budgets; IPv6 is counted per /64, IPv4 (and
 * IPv4-mapped IPv6) per address.
 */
export function ipKey(ip: string): string {
  if (!ipaddr.isValid(ip)) {
    return ip;
  }
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') {
    return address.toString();
  }
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
