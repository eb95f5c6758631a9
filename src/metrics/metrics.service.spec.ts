import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AuditService } from '#src/audit/audit.service.js';
import { MetricsService, routeLabel } from '#src/metrics/metrics.service.js';
import type { PasswordService } from '#src/passwords/password.service.js';

function createMetrics(): MetricsService {
  const passwords = { queueDepth: 0, queueRejections: 0, onTiming: () => undefined } as unknown as PasswordService;
  const dataSource = { query: () => Promise.resolve([{ total: 0, legacy: 0 }]) } as unknown as DataSource;
  const audit = { onRecord: () => undefined } as unknown as AuditService;
  return new MetricsService(passwords, dataSource, audit);
}

describe(MetricsService.name, () => {
  it("puts a module's counter, histogram and gauge on the app's registry, shown by render()", async () => {
    const metrics = createMetrics();
    const exports = metrics.counter({
      name: 'reports_exported_total',
      help: 'Reports exported, by format',
      labelNames: ['format'],
    });
    const duration = metrics.histogram({ name: 'report_render_seconds', help: 'Render time', buckets: [0.1, 1] });
    const queued = metrics.gauge({ name: 'reports_queued', help: 'Reports waiting' });
    exports.inc({ format: 'csv' });
    exports.inc({ format: 'csv' });
    duration.observe(0.5);
    queued.set(3);

    const text = await metrics.render();
    expect(text).toContain('# HELP reports_exported_total Reports exported, by format');
    expect(text).toContain('reports_exported_total{format="csv"} 2');
    expect(text).toContain('report_render_seconds_bucket{le="1"} 1');
    expect(text).toContain('reports_queued 3');
    expect(text).toContain('gatehouse_logins_total');
  });

  it('refuses a metric name already registered, so two modules cannot count into one series', () => {
    const metrics = createMetrics();
    metrics.counter({ name: 'reports_failed_total', help: 'x' });
    expect(() => metrics.counter({ name: 'reports_failed_total', help: 'y' })).toThrow(/already been registered/);
    expect(() => metrics.gauge({ name: 'gatehouse_logins_total', help: 'z' })).toThrow(/already been registered/);
  });

  it('keeps each app its own registry: two apps in one process define the same metric', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.counter({ name: 'reports_shared_total', help: 'x' }).inc();
    second.counter({ name: 'reports_shared_total', help: 'x' });
    expect(await first.render()).toContain('reports_shared_total 1');
    expect(await second.render()).toContain('reports_shared_total 0');
  });

  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-metrics-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps route patterns of the API and folds everything else into two labels', () => {
    expect(routeLabel('/api/v1/auth/sessions/:id')).toBe('/api/v1/auth/sessions/:id');
    expect(routeLabel('/health/ready')).toBe('/health/ready');
    expect(routeLabel('/metrics')).toBe('/metrics');
    expect(routeLabel('/docs-json')).toBe('/docs-json');
    expect(routeLabel('/assets/index-7be41d0c.js')).toBe('static');
    expect(routeLabel('/')).toBe('static');
    expect(routeLabel(undefined)).toBe('unmatched');
  });

  it('never turns the demo page’s hashed file names into route labels', async () => {
    // As serveDemoPage() serves the built page: one route per file (wildcard: false).
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'assets', 'index-7be41d0c.js'), '');
    writeFileSync(join(dir, 'assets', 'index-19ae55f2.css'), '');
    const service = createMetrics();
    const fastify = Fastify();
    await fastify.register(fastifyStatic, { root: dir, prefix: '/', wildcard: false });
    service.instrument(fastify);
    await fastify.ready();
    for (const url of ['/', '/assets/index-7be41d0c.js', '/assets/index-19ae55f2.css']) {
      expect((await fastify.inject({ url })).statusCode).toBe(200);
    }
    await fastify.close();
    const text = await service.registry.metrics();
    expect(text).not.toContain('7be41d0c');
    expect(text).not.toContain('19ae55f2');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="static",status_code="200"\} 3/);
  });
});
