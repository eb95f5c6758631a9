import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const API = '/api/v1';

describe('hot path (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('gives JSON API answers only the API security headers, and /docs full helmet', async () => {
    const api = await t.http().get(`${API}/auth/check`);
    expect(api.status).toBe(401);
    expect(api.body.error).toBeDefined();
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(api.headers['cache-control']).toBe('no-store');
    // Browser-page headers are no use on JSON and were most of the bytes written per answer.
    expect(api.headers['x-dns-prefetch-control']).toBeUndefined();
    expect(api.headers['cross-origin-opener-policy']).toBeUndefined();
    expect(api.headers['x-powered-by']).toBeUndefined();

    const docs = await t.http().get('/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(docs.headers['x-dns-prefetch-control']).toBe('off');
  });
});
