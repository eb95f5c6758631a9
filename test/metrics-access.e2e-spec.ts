import { API, register } from './helpers/auth-client.js';
import {
  startWebhookSink,
  uniquePhone as sharedUniquePhone,
  WEBHOOK_SECRET,
  webhookEnv,
} from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const TOKEN = 'metrics-token-Zq8vR2nL5xK1pW7tY3mB9cF4';
const uniquePhone = () => sharedUniquePhone('134');

/** Every sample line of `gatehouse_code_sends_total`. */
const codeSends = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('gatehouse_code_sends_total'))
    .join('\n');

/** SPEC §3, §10, §12: /metrics behind METRICS_TOKEN, and no metric that tells who holds a destination. */
describe('/metrics access and the enumeration oracle', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;

  beforeAll(async () => {
    sink = await startWebhookSink(WEBHOOK_SECRET);
    t = await createTestApp({ ...webhookEnv(sink.url), METRICS_TOKEN: TOKEN, CODE_IP_MAX: '1000' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const scrape = (authorization?: string) => {
    const req = t.http().get('/metrics');
    return authorization ? req.set('Authorization', authorization) : req;
  };

  it('answers 401 without the bearer token or with a wrong one, and the text with it', async () => {
    for (const res of [await scrape(), await scrape(`Bearer ${TOKEN}x`), await scrape(`Basic ${TOKEN}`)]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 401, error: 'UNAUTHORIZED', data: null });
      expect(res.text).not.toContain('gatehouse_');
    }
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('http_request_duration_seconds');
  });

  it('moves the code counters alike whether or not an account holds the phone', async () => {
    const known = uniquePhone();
    await register(t, { phone: known });
    const series = async () => codeSends((await scrape(`Bearer ${TOKEN}`)).text);
    const ask = (phone: string) => t.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone });

    const before = await series();
    expect((await ask(known)).status).toBe(200);
    await sink.inbox.next(known, 0);
    const afterKnown = await series();
    expect((await ask(uniquePhone())).status).toBe(200);
    const afterUnknown = await series();
    expect(afterKnown).not.toBe(before);
    // The unknown destination moved the same series by the same step as the known one.
    const step = (a: string, b: string) =>
      b.split('\n').map((line) => {
        const [name, value] = line.split(' ');
        const previous =
          a
            .split('\n')
            .find((l) => l.startsWith(`${name} `))
            ?.split(' ')[1] ?? '0';
        return `${name} ${Number(value) - Number(previous)}`;
      });
    expect(step(afterKnown, afterUnknown)).toEqual(step(before, afterKnown));
  });
});

describe('/metrics in production', () => {
  it('answers 404 when no METRICS_TOKEN is set', async () => {
    const t = await createTestApp({ NODE_ENV: 'production', METRICS_TOKEN: '' });
    try {
      const res = await t.http().get('/metrics');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 404, error: 'NOT_FOUND' });
    } finally {
      await t.close();
    }
  });

  it('refuses to start with a weak METRICS_TOKEN', async () => {
    await expect(createTestApp({ NODE_ENV: 'production', METRICS_TOKEN: 'a'.repeat(40) })).rejects.toThrow(
      /METRICS_TOKEN: too little entropy/,
    );
  });
});
