import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BlockList, isIP } from 'node:net';
import { EnvDoc, IsDuration, parseDurationSeconds, validateConfig } from '#src/platform/index.js';

const DURATION_LIST = /^\s*\d+(ms|s|m|h|d)?\s*(,\s*\d+(ms|s|m|h|d)?\s*)*$/;
const CIDR_LIST = /^[0-9a-fA-F.:/,\s]*$/;

class WebhooksEnv {
  @EnvDoc(
    'Webhooks: the waits before each retry of a failed delivery, then it is marked failed.',
    '5s,1m,10m,1h,6h,24h',
  )
  @IsOptional()
  @Matches(DURATION_LIST, { message: 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations' })
  WEBHOOK_RETRY_SCHEDULE?: string;

  @EnvDoc(
    'Webhooks: networks a receiver may sit in although private, loopback or link-local (intranet receivers); http is allowed to them too.',
    '',
  )
  @IsOptional()
  @IsString()
  @Matches(CIDR_LIST, { message: 'WEBHOOK_ALLOWED_NETWORKS must be a comma-separated list of IP addresses or CIDRs' })
  WEBHOOK_ALLOWED_NETWORKS?: string;

  @EnvDoc('Webhooks: how often each instance looks for due deliveries; 0 turns the poller off.', '1s')
  @IsOptional()
  @IsDuration()
  WEBHOOK_POLL_INTERVAL?: string;

  @EnvDoc('Webhooks: how long a claimed delivery belongs to its instance; another one takes it over after that.', '1m')
  @IsOptional()
  @IsDuration()
  WEBHOOK_LEASE?: string;

  @EnvDoc('Webhooks: deliveries in flight at once to one endpoint, per instance.', '4')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_ENDPOINT_CONCURRENCY?: number;

  @EnvDoc('Webhooks: how long delivered and failed deliveries and their attempts are kept; 0 keeps them.', '30d')
  @IsOptional()
  @IsDuration()
  WEBHOOK_RETENTION?: string;
}

export interface WebhooksConfig {
  /** Milliseconds before retry n (index n - 1); past the last one a delivery is failed. */
  retryScheduleMs: number[];
  /** Private addresses an operator allows (SPEC §16 intranet receivers); null when none. */
  allowedNetworks: BlockList | null;
  /** In production: https only, no private addresses outside `allowedNetworks` (OWASP SSRF Prevention Cheat Sheet). */
  production: boolean;
  pollIntervalMs: number;
  leaseMs: number;
  endpointConcurrency: number;
  retentionMs: number;
  /** SPEC §16: the answer a receiver has to give, fixed. */
  timeoutMs: number;
  /** SPEC §16: how long a rotated secret keeps signing beside the new one. */
  secretOverlapMs: number;
}

const durationMs = (value: string) => {
  const trimmed = value.trim();
  return trimmed.endsWith('ms') ? Number(trimmed.slice(0, -2)) : parseDurationSeconds(trimmed) * 1000;
};

function parseNetworks(value: string | undefined): BlockList | null {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    return null;
  }
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max))) {
      throw new Error(`Invalid configuration:\n  WEBHOOK_ALLOWED_NETWORKS: ${entry} is not an IP address or CIDR`);
    }
    list.addSubnet(address, bits === undefined ? max : Number(bits), family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/** The webhooks module's namespace (SPEC §16), loaded by WebhooksModule with `ConfigModule.forFeature`. */
export default registerAs('webhooks', (): WebhooksConfig => {
  const env = validateConfig(process.env, WebhooksEnv);
  return {
    retryScheduleMs: (env.WEBHOOK_RETRY_SCHEDULE ?? '5s,1m,10m,1h,6h,24h').split(',').map(durationMs),
    allowedNetworks: parseNetworks(env.WEBHOOK_ALLOWED_NETWORKS),
    production: process.env.NODE_ENV === 'production',
    pollIntervalMs: durationMs(env.WEBHOOK_POLL_INTERVAL ?? '1s'),
    leaseMs: durationMs(env.WEBHOOK_LEASE ?? '1m'),
    endpointConcurrency: env.WEBHOOK_ENDPOINT_CONCURRENCY ?? 4,
    retentionMs: durationMs(env.WEBHOOK_RETENTION ?? '30d'),
    timeoutMs: 10_000,
    secretOverlapMs: 24 * 60 * 60 * 1000,
  };
});
