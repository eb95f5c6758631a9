import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { SkipEnvelope } from '#src/common/decorators/skip-envelope.decorator.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

class AnswerDto {
  @ApiProperty()
  answer!: number;
}

class RawDto {
  @ApiProperty()
  raw!: boolean;
}

/**
 * Handlers of every shape the envelope meets: an object, nothing, a custom status, a string, and a skipped one.
 * Documented like any module's routes, since every answer is checked against the OpenAPI document.
 */
@Public()
@Controller('hot-path-envelope')
class EnvelopeShapesController {
  @Get('object')
  @ApiEnvelope(AnswerDto)
  object(): AnswerDto {
    return { answer: 42 };
  }

  @Post('nothing')
  @HttpCode(202)
  @ApiEnvelope(null, 202)
  nothing(): void {}

  @Get('text')
  @ApiResponse({
    status: 200,
    schema: {
      type: 'object',
      required: ['code', 'msg', 'data'],
      properties: { code: { type: 'integer' }, msg: { type: 'string' }, data: { type: 'string' } },
    },
  })
  text() {
    return 'plain';
  }

  @Get('raw')
  @SkipEnvelope()
  @ApiEnvelope(RawDto, { raw: true })
  raw(): RawDto {
    return { raw: true };
  }
}

@Module({ controllers: [EnvelopeShapesController] })
class EnvelopeShapesModule {}

const API = '/api/v1';

describe('hot path (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({}, { mount: [EnvelopeShapesModule] });
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

  it('wraps every handler answer in the envelope without an interceptor, and leaves @SkipEnvelope() routes alone', async () => {
    const object = await t.http().get(`${API}/hot-path-envelope/object`);
    expect(object.status).toBe(200);
    expect(object.body).toEqual({ code: 200, msg: 'success', data: { answer: 42 } });

    const nothing = await t.http().post(`${API}/hot-path-envelope/nothing`);
    expect(nothing.status).toBe(202);
    expect(nothing.body).toEqual({ code: 202, msg: 'success', data: null });

    const text = await t.http().get(`${API}/hot-path-envelope/text`);
    expect(text.body).toEqual({ code: 200, msg: 'success', data: 'plain' });

    const raw = await t.http().get(`${API}/hot-path-envelope/raw`);
    expect(raw.status).toBe(200);
    expect(raw.body).toEqual({ raw: true });

    // Errors keep their own envelope: never wrapped a second time.
    const missing = await t.http().get(`${API}/hot-path-envelope/none`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 404, data: null });
    expect(missing.body.data).toBeNull();
  });
});
