import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { PasswordService } from '#src/auth/password/password.service.js';
import { MetricsService, routeLabel } from '#src/metrics/metrics.service.js';

describe(MetricsService.name, () => {
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
    const service = new MetricsService(
      { queueDepth: 0, queueRejections: 0 } as unknown as PasswordService,
      {} as DataSource,
    );
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
