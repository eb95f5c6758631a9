import type { OpenAPIObject } from '@nestjs/swagger';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { compileResponseSchemas } from '#src/common/interceptors/compiled-responses.js';

const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'compiled', version: '1' },
  paths: {
    '/thing': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['code', 'msg', 'data'],
                  properties: {
                    code: { type: 'integer', example: 200 },
                    msg: { type: 'string' },
                    data: { $ref: '#/components/schemas/ThingDto' },
                  },
                },
              },
            },
          },
          '401': { description: 'no', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      ThingDto: {
        type: 'object',
        required: ['id', 'note', 'description'],
        properties: {
          id: { type: 'number', description: 'the id' },
          note: { type: 'string', nullable: true },
          // A field named like a keyword is kept.
          description: { type: 'string' },
        },
      },
    },
  },
} as unknown as OpenAPIObject;

async function app(answer: { status: number; body: unknown }) {
  const fastify = Fastify();
  compileResponseSchemas(fastify, DOCUMENT, ['GET /thing']);
  fastify.get('/thing', (_request, reply) => reply.status(answer.status).send(answer.body));
  await fastify.ready();
  return fastify;
}

describe(compileResponseSchemas.name, () => {
  it('writes a success answer with the documented schema: documented keys only, in the documented order', async () => {
    const fastify = await app({
      status: 200,
      body: { data: { description: 'd', note: null, id: 7, secret: 'undocumented' }, msg: 'success', code: 200 },
    });
    const res = await fastify.inject({ method: 'GET', url: '/thing' });
    expect(res.body).toBe('{"code":200,"msg":"success","data":{"id":7,"note":null,"description":"d"}}');
  });

  it('leaves an error answer to JSON.stringify, whole', async () => {
    const body = { code: 401, msg: 'no', error: 'UNAUTHORIZED', data: null };
    const fastify = await app({ status: 401, body });
    const res = await fastify.inject({ method: 'GET', url: '/thing' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toBe(JSON.stringify(body));
  });

  it('refuses to start when a hot route is missing from the document or from the routes', async () => {
    expect(() => compileResponseSchemas(Fastify(), DOCUMENT, ['GET /gone'])).toThrow(/GET \/gone/);
    const fastify = Fastify();
    compileResponseSchemas(fastify, DOCUMENT, ['GET /thing']);
    await expect(fastify.ready()).rejects.toThrow(/no route was registered for GET \/thing/);
  });
});
