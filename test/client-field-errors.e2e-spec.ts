import type { AddressInfo } from 'node:net';
import { createAuthClient, type FieldError, GatehouseError, memoryStorage } from '../client/src/index.js';
import { GOOD_PASSWORD } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('TypeScript client field errors', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('types the rule and params of each field error, which stay the same in every language (SPEC §3)', async () => {
    const errorsIn = async (language: string): Promise<FieldError[]> => {
      const client = createAuthClient({
        baseUrl,
        storage: memoryStorage(),
        channel: null,
        locks: null,
        fetch: (input, init) => {
          const headers = new Headers(init?.headers);
          headers.set('Accept-Language', language);
          return fetch(input, { ...init, headers });
        },
      });
      try {
        const error = await client.register({ username: 'x', password: GOOD_PASSWORD }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GatehouseError);
        return (error as GatehouseError).errors;
      } finally {
        client.close();
      }
    };
    const [en, zh] = [await errorsIn('en'), await errorsIn('zh-CN')];
    const username = en.find((e) => e.field === 'username');
    // Typed access, not a cast: `rule` and `params` are part of FieldError.
    expect(username?.rule).toBe('min_length');
    expect(username?.params).toEqual({ min: 3 });
    expect(zh.map(({ field, rule, params }) => ({ field, rule, params }))).toEqual(
      en.map(({ field, rule, params }) => ({ field, rule, params })),
    );
    expect(zh.find((e) => e.field === 'username')?.message).not.toBe(username?.message);
  });
});
