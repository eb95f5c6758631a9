import { Controller, Get, HttpCode, Module } from '@nestjs/common';
import { ApiProperty, type OpenAPIObject } from '@nestjs/swagger';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { API } from './helpers/auth-client.js';
import { failureMessage, uncoveredErrors } from './helpers/error-coverage.js';
import { ContractChecker, type RecordedAnswer } from './helpers/openapi-contract.js';
import { createTestApp } from './helpers/test-app.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A document small enough to read: one operation answering a profile, a 404 and a `default` it must not lean on. */
const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'contract test', version: '1' },
  paths: {
    '/api/v1/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['code', 'data'],
                  properties: { code: { type: 'integer' }, data: { $ref: '#/components/schemas/ThingDto' } },
                },
              },
            },
          },
          '404': { description: 'gone', content: { 'application/json': { schema: { type: 'object' } } } },
          default: { description: 'anything else', content: { 'application/json': { schema: {} } } },
        },
      },
    },
    '/metrics': {
      get: { responses: { '200': { description: 'text', content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      ThingDto: {
        type: 'object',
        required: ['id', 'name', 'note', 'kind'],
        properties: {
          id: { type: 'integer' },
          name: { type: 'string' },
          note: { type: 'string', nullable: true },
          kind: { type: 'string', enum: ['a', 'b'], nullable: true },
        },
      },
    },
  },
} as unknown as OpenAPIObject;

const thing = (data: Record<string, unknown>): RecordedAnswer => ({
  method: 'GET',
  route: '/api/v1/things/:id',
  status: 200,
  contentType: JSON_TYPE,
  body: JSON.stringify({ code: 200, data: { id: 1, name: 'n', note: null, kind: 'a', ...data } }),
});

describe('the OpenAPI contract checker', () => {
  it('accepts an answer the document describes, null where `nullable` and a `type` allow it', () => {
    const checker = new ContractChecker(DOCUMENT);
    expect(checker.check(thing({}))).toEqual([]);
    expect(checker.check(thing({ note: 'x' }))).toEqual([]);
    expect(checker.violations).toEqual([]);
  });

  it('reports a status the operation does not list, even when a `default` answer is documented', () => {
    const checker = new ContractChecker(DOCUMENT);
    checker.check({ ...thing({}), status: 500 });
    expect(checker.violations).toEqual([
      'GET /api/v1/things/:id 500: status 500 is not documented (documented: 200, 404, default)',
    ]);
  });

  it('reports a missing required field, a wrong type and a field the schema does not describe', () => {
    const checker = new ContractChecker(DOCUMENT);
    const noName = thing({});
    noName.body = JSON.stringify({ code: 200, data: { id: 1, note: null, kind: 'a' } });
    checker.check(noName);
    checker.check(thing({ id: '1' }));
    checker.check(thing({ secret: 'hash' }));
    expect(checker.violations).toEqual([
      "GET /api/v1/things/:id 200: /data must have required property 'name'",
      'GET /api/v1/things/:id 200: /data/id must be integer',
      'GET /api/v1/things/:id 200: /data must NOT have additional properties (secret)',
    ]);
  });

  it('refuses null where OpenAPI 3.0 does not allow it: no `nullable`, or an enum without null', () => {
    const checker = new ContractChecker(DOCUMENT);
    checker.check(thing({ name: null }));
    checker.check(thing({ kind: null }));
    expect(checker.violations).toEqual([
      'GET /api/v1/things/:id 200: /data/name must be string',
      'GET /api/v1/things/:id 200: /data/kind must be equal to one of the allowed values ["a","b"]',
    ]);
  });

  it('reports an undocumented route or content type, checks only status and type of a text answer', () => {
    const checker = new ContractChecker(DOCUMENT);
    const metrics = { method: 'GET', route: '/metrics', status: 200, body: '# HELP up\nup 1\n' };
    expect(checker.check({ ...metrics, contentType: 'text/plain; version=0.0.4' })).toEqual([]);
    checker.check({ ...metrics, contentType: JSON_TYPE, body: '{}' });
    checker.check({ ...thing({}), route: '/api/v1/other' });
    expect(checker.violations).toEqual([
      'GET /metrics 200: content type application/json is not documented (documented: text/plain)',
      'GET /api/v1/other 200: the route has no operation in the OpenAPI document',
    ]);
  });

  it('leaves out unmatched URLs, Swagger UI and CORS preflights, which are not API operations', () => {
    const checker = new ContractChecker(DOCUMENT);
    const answer = { status: 404, contentType: JSON_TYPE, body: '{}' };
    checker.check({ ...answer, method: 'GET', route: undefined });
    checker.check({ ...answer, method: 'GET', route: '/docs/*', status: 200 });
    checker.check({ ...answer, method: 'OPTIONS', route: '*', status: 204 });
    expect(checker.violations).toEqual([]);
  });
});

class ProbeDto {
  @ApiProperty()
  id: number;
  @ApiProperty()
  label: string;
}

/** Answers that break their own documentation, to prove that createTestApp's close() fails on them. */
@Controller('contract-probe')
class ContractProbeController {
  @Public()
  @Get('shape')
  @ApiEnvelope(ProbeDto)
  shape(): unknown {
    return { id: 'one' };
  }

  @Public()
  @Get('status')
  @HttpCode(202)
  @ApiEnvelope(null)
  status(): null {
    return null;
  }
}

@Module({ controllers: [ContractProbeController] })
class ContractProbeModule {}

describe('every app the e2e suite boots', () => {
  it('fails close() with each answer that breaks the OpenAPI document', async () => {
    const t = await createTestApp({}, { mount: [ContractProbeModule] });
    expect((await t.http().get(`${API}/contract-probe/shape`)).status).toBe(200);
    expect((await t.http().get(`${API}/contract-probe/status`)).status).toBe(202);
    const failure = t.close();
    await expect(failure).rejects.toThrow(/GET \/api\/v1\/contract-probe\/shape 200: \/data\/id must be number/);
    await expect(failure).rejects.toThrow(/\/data must have required property 'label'/);
    await expect(failure).rejects.toThrow(
      /GET \/api\/v1\/contract-probe\/status 202: status 202 is not documented \(documented: 200/,
    );
  });
});

/** A document whose one operation lists two 401 codes, one answered by the handler and one shared by the pipeline. */
const ERRORS_DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'coverage test', version: '1' },
  paths: {
    '/api/v1/things/{id}': {
      get: {
        responses: {
          '401': {
            description: 'codes',
            'x-gatehouse-shared-codes': ['TOKEN_EXPIRED'],
            content: {
              'application/json': {
                schema: {
                  allOf: [{ type: 'object' }, { properties: { error: { enum: ['WRONG_THING', 'TOKEN_EXPIRED'] } } }],
                },
              },
            },
          },
        },
      },
    },
  },
} as unknown as OpenAPIObject;

const refused = (error: string): RecordedAnswer => ({
  method: 'GET',
  route: '/api/v1/things/:id',
  status: 401,
  contentType: JSON_TYPE,
  body: JSON.stringify({ code: 401, error }),
});

describe('error coverage: every documented (operation, status, code) is answered by some test', () => {
  it('records the documented triples and the error answers seen, by the documented path', () => {
    const checker = new ContractChecker(ERRORS_DOCUMENT);
    checker.check(refused('WRONG_THING'));
    expect(checker.documentedErrors).toEqual([
      { key: 'GET /api/v1/things/{id} 401 WRONG_THING', shared: false },
      { key: 'GET /api/v1/things/{id} 401 TOKEN_EXPIRED', shared: true },
    ]);
    expect([...checker.seenErrors]).toEqual(['GET /api/v1/things/{id} 401 WRONG_THING']);
  });

  it('names each triple no test produced; a shared code counts once any operation answered it', () => {
    const documented = new ContractChecker(ERRORS_DOCUMENT).documentedErrors;
    const file = (seen: string[]) => ({ file: 'test/x.e2e-spec.ts', documented, seen });
    expect(uncoveredErrors([file([])], {})).toEqual([
      'GET /api/v1/things/{id} 401 TOKEN_EXPIRED',
      'GET /api/v1/things/{id} 401 WRONG_THING',
    ]);
    expect(uncoveredErrors([file(['GET /api/v1/other 401 TOKEN_EXPIRED'])], {})).toEqual([
      'GET /api/v1/things/{id} 401 WRONG_THING',
    ]);
    // Another spec file's answer counts too: the records of every file of the run are put together.
    const other = { file: 'test/y.e2e-spec.ts', documented: [], seen: ['GET /api/v1/things/{id} 401 WRONG_THING'] };
    expect(uncoveredErrors([file(['GET /api/v1/other 401 TOKEN_EXPIRED']), other], {})).toEqual([]);
  });

  it('leaves out a triple marked covered elsewhere, and says how to fix the others', () => {
    const documented = new ContractChecker(ERRORS_DOCUMENT).documentedErrors;
    const uncovered = uncoveredErrors([{ file: 'test/x.e2e-spec.ts', documented, seen: [] }], {
      'GET /api/v1/things/{id} 401 TOKEN_EXPIRED': 'the guard answers it the same on every route',
    });
    expect(uncovered).toEqual(['GET /api/v1/things/{id} 401 WRONG_THING']);
    const message = failureMessage('e2e-sqlite', uncovered);
    expect(message).toContain('\n  GET /api/v1/things/{id} 401 WRONG_THING\n');
    expect(message).toMatch(
      /add an e2e test.*remove the code.*COVERED_ELSEWHERE in test\/helpers\/error-coverage-exemptions\.ts/s,
    );
  });
});
