const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
const DURATION = /^(\d+)(ms|s|m|h|d)?$/;

/** True for `900`, `10s`, `15m`, `24h`, `7d` (SPEC §2 durations). */
export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && DURATION.test(value.trim());
}

/** A SPEC §2 duration in whole seconds (a bare number is seconds). */
export function parseDurationSeconds(value: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) {
    throw new Error(`not a duration: ${value}`);
  }
  return Math.ceil(Number(match[1]) * UNITS[match[2] ?? 's']);
}
