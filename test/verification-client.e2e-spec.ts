import type { AddressInfo } from 'node:net';
import { type AuthClient, createAuthClient, GatehouseError, memoryStorage } from '../client/src/index.js';
import { GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { startWebhookSink, WEBHOOK_SECRET, webhookEnv } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('the TypeScript client: code login, password reset, contact verification', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let baseUrl: string;
  const clients: AuthClient[] = [];

  beforeAll(async () => {
    sink = await startWebhookSink(WEBHOOK_SECRET);
    t = await createTestApp({
      ...webhookEnv(sink.url),
    });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await t.close();
    await sink.close();
  });

  const makeClient = () => {
    const client = createAuthClient({ baseUrl, storage: memoryStorage(), channel: null, locks: null });
    clients.push(client);
    return client;
  };

  it('verifies a phone, logs in with an SMS code and resets the password by email', async () => {
    const email = `${uniqueName('cli')}@example.com`;
    const phone = '+8613312345678';
    const username = uniqueName();
    await register(t, { username, email });
    const client = makeClient();
    await client.login({ email, password: GOOD_PASSWORD });

    expect(await client.sendContactCode({ phone, password: GOOD_PASSWORD })).toEqual({
      resend_after: 60,
      expires_in: 300,
    });
    const phoneCode = (await sink.inbox.next(phone, 0)).code;
    expect(await client.verifyContact({ phone, code: phoneCode })).toMatchObject({ phone, phone_verified: true });

    t.clock.advance(61_000);
    await client.requestCode({ purpose: 'login', phone });
    const loginCode = (await sink.inbox.next(phone, 1)).code;
    const other = makeClient();
    const session = await other.loginWithCode(phone, loginCode);
    expect(session).toMatchObject({ mfa_required: false });
    expect((await other.me()).username).toBe(username);

    await client.requestCode({ purpose: 'reset_password', email });
    const resetCode = (await sink.inbox.next(email, 0)).code;
    const refused = await client
      .resetPassword({ email, code: '000000' === resetCode ? '000001' : '000000', new_password: 'Green-Teapot-73' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GatehouseError);
    expect((refused as GatehouseError).code).toBe('CODE_INVALID');
    await client.resetPassword({ email, code: resetCode, new_password: 'Green-Teapot-73' });
    expect(await makeClient().login({ email, password: 'Green-Teapot-73' })).toMatchObject({ mfa_required: false });
  });
});
