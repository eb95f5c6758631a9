import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from 'class-validator';
import { ConfigError } from '#src/config/config-report.js';
import { EnvDoc, validateConfig } from '#src/config/validate-config.js';

/**
 * The per-request features `npm run bench -- --features-only` switches off one at a time to price each (issue 29).
 * Each is left out when the app is put together (a hook not registered, another adapter or strategy method chosen),
 * never tested per request, so a production build carries no request-time feature flag.
 */
export const BENCH_FEATURES = [
  /** `{code, msg, data}` around every success (EnvelopeFastifyAdapter). */
  'envelope',
  /** The hot routes' success answers written by a serializer compiled from their OpenAPI schema. */
  'compiled-responses',
  /** `X-Request-Id` vetted or minted (genReqId) and echoed. */
  'request-id',
  /** `cache-control: no-store`, nosniff, CSP and HSTS on API answers; helmet elsewhere. */
  'security-headers',
  /** The token's own claims checked after the signature (type, subject, session, role). */
  'claim-checks',
  /** The in-memory revocation set consulted for the token's session. */
  'revocation',
  /** The request-latency histogram (an onResponse hook). */
  'metrics',
  /** Fastify's per-request logger and the one line per request (its onSend and onResponse hooks). */
  'logging',
  /** The global ValidationPipe, which Nest also runs (asynchronously) on a route's custom parameters. */
  'validation-pipe',
  /** The SecurityGuard's steps after authentication: route policy, the role's IP allow-list, roles, module steps. */
  'guard-steps',
  /** Each Fastify hook by itself: */
  'hook:request-log-onsend',
  'hook:request-log-onresponse',
  'hook:closing-onsend',
  'hook:refuse-while-closing',
  'hook:hash-queue-gate',
] as const;

export type BenchFeature = (typeof BENCH_FEATURES)[number];

class BenchEnv {
  @EnvDoc(
    'Benchmarks only: comma-separated features left out of the app to measure what each costs (see docs/BENCHMARKS.md). Refused in production.',
    '',
  )
  @IsOptional()
  @IsString()
  BENCH_DISABLE?: string;
}

export interface BenchConfig {
  /** The features left out of this process; empty outside a benchmark. */
  disabled: ReadonlySet<BenchFeature>;
}

export default registerAs('bench', (): BenchConfig => {
  const env = validateConfig(process.env, BenchEnv);
  const names = (env.BENCH_DISABLE ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) {
    return { disabled: new Set() };
  }
  // OWASP ASVS 5.0 V13.4 (no test or debug switches in production): a build without its security headers or
  // revocation check must never serve real users, so the variable alone stops a production start.
  if (process.env.NODE_ENV === 'production') {
    throw new ConfigError([{ variable: 'BENCH_DISABLE', rule: 'is for benchmarks only and refused in production' }]);
  }
  const unknown = names.filter((name) => !(BENCH_FEATURES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ConfigError([
      {
        variable: 'BENCH_DISABLE',
        rule: `unknown feature(s) ${unknown.join(', ')}; known: ${BENCH_FEATURES.join(', ')}`,
      },
    ]);
  }
  return { disabled: new Set(names as BenchFeature[]) };
});
