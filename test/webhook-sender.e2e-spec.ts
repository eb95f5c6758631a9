import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API, register } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone, WEBHOOK_SECRET, webhookEnv } from './helpers/code-sinks.js';
import { createTestApp } from './helpers/test-app.js';

const uniquePhone = () => sharedUniquePhone('133');

/** A provider stand-in on 127.0.0.1 that records each request's X-Gatehouse-Id and answers as `answer` says. */
async function standIn(answer: (n: number, res: ServerResponse, to: string) => void) {
  const hits: Array<{ id: string; to: string }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += String(chunk)));
    req.on('end', () => {
      const to = String((JSON.parse(raw) as { to: string }).to);
      hits.push({ id: String(req.headers['x-gatehouse-id']), to });
      answer(hits.filter((hit) => hit.to === to).length, res, to);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, hits, close: () => new Promise((r) => server.close(r)) };
}

/** SPEC §12: the code webhook's message id, redirects and production rules. */
describe('the code webhook provider', () => {
  it('sends one X-Gatehouse-Id per message, the same on its retries, and follows no redirect', async () => {
    const elsewhere = await standIn((_n, res) => res.writeHead(204).end());
    const first = uniquePhone();
    const second = uniquePhone();
    // The first message: 503, then 204 on its retry. The second: a redirect to another host, every time.
    const provider = await standIn((n, res, to) =>
      to === first ? res.writeHead(n === 1 ? 503 : 204).end() : res.writeHead(307, { location: elsewhere.url }).end(),
    );
    const t = await createTestApp({ ...webhookEnv(provider.url), SMS_PROVIDER: 'webhook', CODE_SEND_RETRIES: '1' });
    try {
      for (const phone of [first, second]) {
        await register(t, { phone });
        expect((await t.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone })).status).toBe(200);
      }
    } finally {
      // Shutdown waits for the deliveries in flight, retries included.
      await t.close();
    }
    const ids = (to: string) => provider.hits.filter((hit) => hit.to === to).map((hit) => hit.id);
    expect(ids(first)).toHaveLength(2);
    expect(ids(first)[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids(first)).size).toBe(1);
    expect(ids(second).length).toBeGreaterThanOrEqual(1);
    expect(new Set(ids(second)).size).toBe(1);
    expect(ids(second)[0]).not.toBe(ids(first)[0]);
    expect(elsewhere.hits).toHaveLength(0);
    await provider.close();
    await elsewhere.close();
  });

  it.each([
    [{ SMS_WEBHOOK_URL: 'http://sms.example.test/hook' }, /SMS_WEBHOOK_URL: must be an https:\/\/ URL in production/],
    [{ WEBHOOK_SECRET: 'a'.repeat(32) }, /WEBHOOK_SECRET: too little entropy/],
    [{ CODE_SECRET: 'a'.repeat(32) }, /CODE_SECRET: too little entropy/],
  ])('refuses to start in production with %o', async (env, message) => {
    const production = {
      ...webhookEnv('https://sms.example.test/hook'),
      WEBHOOK_SECRET,
      NODE_ENV: 'production',
      ...env,
    };
    await expect(createTestApp(production)).rejects.toThrow(message);
  });
});
