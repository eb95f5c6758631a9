import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import {
  collectDefaultMetrics,
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';
import { DataSource } from 'typeorm';
import { CoreAudit, type AuditEventName } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import { PasswordService } from '#src/passwords/password.service.js';

export type LoginOutcome = 'success' | 'failure' | 'ip_not_allowed' | 'mfa_required' | 'mfa_success' | 'mfa_failure';
export type RefreshOutcome = 'rotated' | 'grace' | 'reused';

const LOGIN_OUTCOMES: Partial<Record<string, LoginOutcome>> = {
  [CoreAudit.login_success]: 'success',
  [CoreAudit.login_failure]: 'failure',
  [CoreAudit.ip_not_allowed]: 'ip_not_allowed',
  [CoreAudit.mfa_challenge]: 'mfa_required',
  [CoreAudit.mfa_success]: 'mfa_success',
  [CoreAudit.mfa_failure]: 'mfa_failure',
};

/**
 * Routes whose pattern is a bounded, meaningful label. Anything else that matched a route is a static file of
 * the demo page, whose content-hashed names change with every build: one `static` label for all of them.
 */
const PATTERN_ROUTES = /^\/(?:api\/v1|health|metrics|docs(?:-json)?|\.well-known)(?:\/|$)/;

/** The `route` label: a route pattern, `static`, or `unmatched` for every request no route took. */
export function routeLabel(pattern: string | undefined): string {
  if (!pattern) {
    return 'unmatched';
  }
  return PATTERN_ROUTES.test(pattern) ? pattern : 'static';
}

/** The legacy-hash share scans `users`: at most once a minute, whatever the scrape interval. */
const LEGACY_SHARE_TTL_MS = 60_000;

/**
 * Prometheus metrics (SPEC §10). One registry per app rather than prom-client's
 * global one, so several apps in one process (the e2e suite) never collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger(MetricsService.name);
  private readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly logins: Counter<'outcome'>;
  private readonly refreshes: Counter<'outcome'>;
  private readonly reuseDetections: Counter;
  private readonly throttledAttempts: Counter<'limit'>;
  private readonly registrations: Counter;
  private legacyShare = { value: 0, computedAt: -Infinity };

  constructor(passwords: PasswordService, dataSource: DataSource, audit: AuditService) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.logins = new Counter({
      name: 'gatehouse_logins_total',
      help: 'Login attempts by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.refreshes = new Counter({
      name: 'gatehouse_refreshes_total',
      help: 'Refresh token presentations by outcome: rotated, grace (retry within the window) or reused',
      labelNames: ['outcome'],
      registers,
    });
    this.reuseDetections = new Counter({
      name: 'gatehouse_refresh_reuse_detections_total',
      help: 'Rotated refresh tokens presented after the grace window (the session was revoked)',
      registers,
    });
    this.throttledAttempts = new Counter({
      name: 'gatehouse_throttled_attempts_total',
      help: 'Requests refused by brute-force throttling, by the limit that refused them',
      labelNames: ['limit'],
      registers,
    });
    this.registrations = new Counter({
      name: 'gatehouse_registrations_total',
      help: 'Accounts created through POST /auth/register',
      registers,
    });
    // Argon2id at the default m=64 MiB, t=3 takes tens to hundreds of milliseconds; a wait is 0 until the queue fills.
    const hashDuration = new Histogram({
      name: 'gatehouse_password_hash_duration_seconds',
      help: 'Time one password hash or verify ran, once it had a slot in the hashing queue',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const queueWait = new Histogram({
      name: 'gatehouse_hash_queue_wait_seconds',
      help: 'Time a password hashing job waited in the queue before it ran',
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    passwords.onTiming(({ kind, seconds }) =>
      (kind === 'hash' ? hashDuration : queueWait).observe(Math.max(0, seconds)),
    );
    let rejectionsReported = 0;
    new Counter({
      name: 'gatehouse_hash_queue_rejections_total',
      help: 'Password hashing jobs refused because the queue was full (each answered 503 SERVICE_UNAVAILABLE)',
      registers,
      collect() {
        const total = passwords.queueRejections;
        this.inc(total - rejectionsReported);
        rejectionsReported = total;
      },
    });
    new Gauge({
      name: 'gatehouse_hash_queue_depth',
      help: 'Password hashing jobs running or waiting',
      registers,
      collect() {
        this.set(passwords.queueDepth);
      },
    });
    const legacyShare = () => this.legacyHashShare(dataSource);
    new Gauge({
      name: 'gatehouse_legacy_password_hash_ratio',
      help: 'Share of stored password hashes not yet Argon2id (bcrypt and other legacy formats), refreshed at most once a minute',
      registers,
      async collect() {
        this.set(await legacyShare());
      },
    });
    audit.onRecord((event) => this.auditEvent(event));
  }

  /** Records every response's latency under its route pattern, never the raw URL (bounded label values). */
  instrument(fastify: FastifyInstance): void {
    // Issue 16: prom-client hashes the label object on every observe(); one bound child per series, looked up by
    // a flat key, skips that. The series are bounded by routes × methods × statuses, as before.
    const bound = new Map<string, { observe(seconds: number): void }>();
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = routeLabel(request.routeOptions.url);
      const key = `${request.method} ${reply.statusCode} ${route}`;
      let series = bound.get(key);
      if (!series) {
        series = this.requestDuration.labels({ method: request.method, route, status_code: reply.statusCode });
        bound.set(key, series);
      }
      series.observe(reply.elapsedTime / 1000);
      done();
    });
  }

  /** Fed by AuditService: the audit trail already names each login and reuse outcome once. */
  auditEvent({ type, sessionId }: { type: AuditEventName; sessionId?: string | null }): void {
    const outcome = LOGIN_OUTCOMES[type];
    // A wrong code from a caller who already has a session is enrolment or removal of TOTP, not a login.
    if (outcome && !(type === (CoreAudit.mfa_failure as string) && sessionId)) {
      this.logins.inc({ outcome });
    }
    if (type === (CoreAudit.register as string)) {
      this.registrations.inc();
    }
    if (type === (CoreAudit.refresh_reuse as string)) {
      this.reuseDetections.inc();
      this.refreshes.inc({ outcome: 'reused' });
    }
  }

  /** A refresh that succeeded; reuse is counted from the audit event. */
  refresh(outcome: Exclude<RefreshOutcome, 'reused'>): void {
    this.refreshes.inc({ outcome });
  }

  /** One refused attempt, labelled with the limit that refused it (e.g. `login_account_ip`). */
  throttled(limit: string): void {
    this.throttledAttempts.inc({ limit });
  }

  /**
   * A module's own counter on this app's registry, shown on `/metrics`. Create it once, in the module's service
   * constructor: `this.exports = metrics.counter({ name: 'reports_exported_total', help: '…', labelNames: ['format'] })`.
   * A name already taken stops the start (prom-client refuses to register it twice).
   */
  counter<T extends string = never>(config: Omit<CounterConfiguration<T>, 'registers'>): Counter<T> {
    return new Counter<T>({ ...config, registers: [this.registry] });
  }

  /** A module's own histogram on this app's registry; see `counter()`. */
  histogram<T extends string = never>(config: Omit<HistogramConfiguration<T>, 'registers'>): Histogram<T> {
    return new Histogram<T>({ ...config, registers: [this.registry] });
  }

  /** A module's own gauge on this app's registry; see `counter()`. */
  gauge<T extends string = never>(config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
    return new Gauge<T>({ ...config, registers: [this.registry] });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private async legacyHashShare(dataSource: DataSource): Promise<number> {
    if (Date.now() - this.legacyShare.computedAt < LEGACY_SHARE_TTL_MS) {
      return this.legacyShare.value;
    }
    try {
      const [row] = await dataSource.query<{ total: number | string; legacy: number | string | null }[]>(
        `SELECT COUNT(*) AS total, SUM(CASE WHEN password_hash LIKE '$argon2id$%' THEN 0 ELSE 1 END) AS legacy FROM users`,
      );
      const total = Number(row.total);
      this.legacyShare = { value: total === 0 ? 0 : Number(row.legacy ?? 0) / total, computedAt: Date.now() };
    } catch (e) {
      // A scrape during a database outage keeps the last value rather than failing the whole page.
      this.logger.warn(`legacy hash share not refreshed: ${(e as Error).message}`);
    }
    return this.legacyShare.value;
  }
}
