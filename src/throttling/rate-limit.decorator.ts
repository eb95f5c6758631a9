import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { parseDurationSeconds } from '#src/config/duration.js';
import { RATE_LIMIT_KEY, RateLimitGuard, type RateLimitMetadata } from '#src/throttling/rate-limit.guard.js';

/** Counted per client IP (IPv6 per /64), or per authenticated user (by IP on a route without a caller). */
export type RateLimitBy = RateLimitMetadata['by'];

export interface RateLimitOptions {
  /** Requests allowed per window. */
  points: number;
  /** The window: seconds, or a duration such as `30s`, `1m`, `1h`. */
  duration: number | string;
  by: RateLimitBy;
}

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * A named, configurable limit on one route (SPEC §7, OWASP ASVS 5.0 V2.4.1 anti-automation):
 * `@RateLimit('report_export', { points: 10, duration: '1m', by: 'user' })`. Beyond it the route answers 429
 * `RATE_LIMITED` with the real time left as `Retry-After`. `RATE_LIMIT_REPORT_EXPORT=20/1m` in the environment
 * replaces the budget without a code change; with REDIS_URL the count is shared by every instance. The module that
 * declares the route imports `ThrottlingModule`.
 */
export function RateLimit(name: string, options: RateLimitOptions): MethodDecorator & ClassDecorator {
  if (!NAME.test(name)) {
    throw new Error(`@RateLimit name "${name}" must be snake_case (it becomes RATE_LIMIT_${name.toUpperCase()})`);
  }
  const window = typeof options.duration === 'number' ? options.duration : parseDurationSeconds(options.duration);
  if (!Number.isInteger(options.points) || options.points < 1 || window < 1) {
    throw new Error(`@RateLimit("${name}") needs at least 1 point and a window of at least 1s`);
  }
  const metadata: RateLimitMetadata = { name, max: options.points, window, by: options.by };
  return applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, metadata),
    UseGuards(RateLimitGuard),
    ApiResponse({ status: 429, description: `Rate limited (\`${name}\`); \`Retry-After\` says when to retry` }),
  );
}
