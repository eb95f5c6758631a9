import { registerAs } from '@nestjs/config';
import { BlockList, isIP } from 'node:net';
import { documentEnvPattern } from '#src/platform/index.js';

const PREFIX = 'IP_ALLOWLIST_';

documentEnvPattern(
  'IpAllowlistEnv',
  'IP_ALLOWLIST_ADMIN',
  'Any role as IP_ALLOWLIST_<ROLE>: networks from which accounts of that role may log in and make requests. Default: unset (no fence).',
  '10.0.0.0/8,127.0.0.1/32',
);

/** Role (lower case) → the networks its accounts may use. Roles without a variable are not fenced. */
export type IpAllowlistConfig = Record<string, BlockList>;

function parseEntry(list: BlockList, entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) {
    return false;
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (bits === undefined) {
    list.addAddress(address, type);
    return true;
  }
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) {
    return false;
  }
  list.addSubnet(address, prefix, type);
  return true;
}

/** SPEC §9: `IP_ALLOWLIST_ADMIN=10.0.0.0/8,127.0.0.1/32`, any role as `IP_ALLOWLIST_<ROLE>`. */
export default registerAs('ipAllowlist', (): IpAllowlistConfig => {
  const lists: IpAllowlistConfig = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith(PREFIX) || value === undefined) {
      continue;
    }
    const list = new BlockList();
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !parseEntry(list, entry));
    if (entries.length === 0 || bad.length > 0) {
      throw new Error(
        `Invalid configuration:\n  ${name}: expected a comma-separated list of IP addresses or CIDR ranges` +
          (bad.length > 0 ? `, not ${bad.join(', ')}` : ''),
      );
    }
    lists[name.slice(PREFIX.length).toLowerCase()] = list;
  }
  return lists;
});
