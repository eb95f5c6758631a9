import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigType } from '@nestjs/config';
import appConfig from '#src/config/app.config.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  type?: string;
  items?: Schema;
  enum?: string[];
}
interface SchemaFacts {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: string[];
}
interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  tags?: string[];
  requestBody?: { content: Record<string, { examples?: Record<string, { value: Record<string, string> }> }> };
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const API = '/api/v1';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m): [string, Operation] => [
      `${m.toUpperCase()} ${path}`,
      item[m],
    ]),
  );
}

const jsonSchema = (response: Response | undefined) => response?.content?.['application/json']?.schema;

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await createTestApp({ ROLES: 'auditor' });
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body as Document;
  });
  afterAll(() => t.close());

  it('documents a typed success answer for every operation, inside the envelope under /api/v1', () => {
    const missing: string[] = [];
    for (const [name, op] of operations(doc)) {
      if (name.startsWith('GET /metrics') || name.startsWith('GET /health')) {
        continue; // Prometheus text and the terminus health report are documented by their own decorators.
      }
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      const schema = jsonSchema(success?.[1]);
      const typed = name.includes(` ${API}/`)
        ? schema?.required?.includes('data') === true && schema.properties?.data !== undefined
        : schema?.$ref !== undefined;
      if (!typed) {
        missing.push(name);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents at least one error answer per operation, in the shared error envelope with its codes', () => {
    const envelope = doc.components.schemas.ErrorEnvelope;
    expect(envelope.required).toEqual(['code', 'msg', 'error', 'data']);
    expect(Object.keys(envelope.properties ?? {})).toEqual(['code', 'msg', 'error', 'data', 'errors']);
    const bare: string[] = [];
    for (const [name, op] of operations(doc)) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      if (name.startsWith('GET /metrics')) {
        continue;
      }
      if (errors.length === 0) {
        bare.push(name);
      }
      for (const [status, response] of errors) {
        const schema = jsonSchema(response);
        const ref = schema?.$ref ?? schema?.allOf?.[0]?.$ref;
        expect(ref, `${name} ${status}`).toBe('#/components/schemas/ErrorEnvelope');
      }
    }
    expect(bare).toEqual([]);
  });

  it('lists the registered codes a status can carry, and adds 400 and 401 where they apply', () => {
    const me = doc.paths[`${API}/users/me`].patch;
    const codes = (status: string) => jsonSchema(me.responses[status])?.allOf?.[1]?.properties?.error?.enum;
    expect(codes('400')).toContain('VALIDATION_FAILED');
    expect(codes('401')).toEqual(expect.arrayContaining(['UNAUTHORIZED', 'TOKEN_EXPIRED']));
    const sessions = jsonSchema(doc.paths[`${API}/auth/sessions`].get.responses['200']);
    expect(sessions?.properties?.data).toEqual({ type: 'array', items: { $ref: '#/components/schemas/SessionDto' } });
    const users = jsonSchema(doc.paths[`${API}/admin/users`].get.responses['200']);
    expect(users?.properties?.data?.properties?.items?.items).toEqual({
      $ref: '#/components/schemas/AdminUserViewDto',
    });
  });

  it('shows lengths, patterns, formats and enums, with roles read when the document is built', () => {
    const schemas = doc.components.schemas as Record<string, Schema & { properties: Record<string, SchemaFacts> }>;
    expect(schemas.RegisterDto.properties.username).toMatchObject({
      minLength: 3,
      maxLength: 50,
      pattern: expect.any(String),
    });
    expect(schemas.RegisterDto.properties.password).toMatchObject({ format: 'password', maxLength: 128 });
    expect(schemas.RegisterDto.properties.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(schemas.RegisterDto.required).toEqual(['username', 'password']);
    expect(schemas.RequestCodeDto.properties.purpose.enum).toEqual(['login', 'reset_password']);
    expect(schemas.UpdateUserDto.properties.role.enum).toEqual(expect.arrayContaining(['user', 'admin', 'auditor']));
    const query = doc.paths[`${API}/admin/users`].get.parameters ?? [];
    const byName = Object.fromEntries(query.map((p) => [p.name, p]));
    expect(byName.page.required).toBe(false);
    expect(byName.page_size.required).toBe(false);
  });

  it('documents the device headers on login and X-Request-Id and Retry-After on answers', () => {
    const login = doc.paths[`${API}/auth/login`].post;
    const headers = (login.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    expect(headers).toEqual(expect.arrayContaining(['X-Device-Id', 'X-Device-Name']));
    expect(Object.keys(login.responses['200'].headers ?? {})).toContain('X-Request-Id');
    expect(Object.keys(login.responses['429'].headers ?? {})).toEqual(['X-Request-Id', 'Retry-After']);
  });

  it('orders and describes the tags, and its texts cite no SPEC section', () => {
    const tags = (doc as Document & { tags: { name: string; description?: string }[] }).tags;
    expect(tags.slice(0, 3).map((tag) => tag.name)).toEqual(['auth', 'verification', 'users']);
    const used = new Set(operations(doc).flatMap(([, op]) => op.tags ?? []));
    const described = new Set(tags.filter((tag) => (tag.description ?? '') !== '').map((tag) => tag.name));
    expect([...used].filter((tag) => !described.has(tag) && !tag.includes('(example)'))).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/SPEC §/);
  });

  it('keeps the token pasted into Authorize across reloads', async () => {
    const init = await t.http().get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toMatch(/"persistAuthorization": ?true/);
  });

  it('pre-fills register and login bodies that succeed when sent as they are', async () => {
    const examples = (path: string) =>
      Object.values(doc.paths[`${API}${path}`].post.requestBody?.content['application/json'].examples ?? {});
    const [register] = examples('/auth/register');
    const registered = await t.http().post(`${API}/auth/register`).send(register.value);
    expect(registered.status).toBe(201);
    expect(registered.body.code).toBe(201);
    const logins = examples('/auth/login');
    expect(logins.map((e) => Object.keys(e.value).sort())).toEqual([
      ['password', 'username'],
      ['password', 'phone'],
      ['email', 'password'],
    ]);
    for (const login of logins) {
      const res = await t.http().post(`${API}/auth/login`).send(login.value);
      expect(res.status).toBe(200);
      expect(typeof res.body.data.access_token).toBe('string');
    }
  });
});

describe('DOCS_ENABLED and DEMO_ENABLED', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_ACCESS_SECRET: 'prod-access-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    JWT_REFRESH_SECRET: 'prod-refresh-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  };

  it('hides Swagger UI and the OpenAPI document in production unless DOCS_ENABLED is set', async () => {
    const t = await createTestApp(production);
    try {
      for (const path of ['/docs', '/docs-json']) {
        expect((await t.http().get(path)).status, path).toBe(404);
      }
      await t.restart({ DOCS_ENABLED: 'true' });
      expect((await t.http().get('/docs-json')).status).toBe(200);
      expect((await t.http().get('/docs')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('turns both on outside production, and either off when set to false', async () => {
    const t = await createTestApp({ NODE_ENV: 'development' });
    try {
      expect(t.app.get<ConfigType<typeof appConfig>>(appConfig.KEY)).toMatchObject({
        docsEnabled: true,
        demoEnabled: true,
      });
      await t.restart({ DOCS_ENABLED: 'false', DEMO_ENABLED: 'false' });
      expect((await t.http().get('/docs-json')).status).toBe(404);
      expect(t.app.get<ConfigType<typeof appConfig>>(appConfig.KEY)).toMatchObject({
        docsEnabled: false,
        demoEnabled: false,
      });
    } finally {
      await t.close();
    }
  });
});
