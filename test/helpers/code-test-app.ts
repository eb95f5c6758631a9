import type { Test } from 'supertest';
import { API, bearer } from './auth-client.js';
import { startWebhookSink, WEBHOOK_SECRET, webhookEnv } from './code-sinks.js';
import { createTestApp, type TestApp } from './test-app.js';

/** The webhook stand-in that receives the codes a test app sends. */
export type CodeSink = Awaited<ReturnType<typeof startWebhookSink>>;

/** An app whose codes go to a webhook stand-in, with the helpers the verification suites share. */
export interface CodeTestApp {
  t: TestApp;
  sink: CodeSink;
  /** POST under /api/v1, with a bearer token and an `X-Forwarded-For` (with TRUST_PROXY set) when given. */
  post(path: string, body: Record<string, unknown>, options?: { token?: string; ip?: string }): Test;
  /**
   * Asks for a code through `path` (200 with the usual resend/expiry answer, asserted) and answers the code the
   * stand-in received for the body's `phone` or `email`.
   */
  codeFor(path: string, body: Record<string, unknown>, options?: { token?: string; ip?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the stand-in and the app. Every request of a suite comes from 127.0.0.1, so the per-IP and global code caps
 * are lifted unless `env` sets them: only the limits suites meet them.
 */
export async function createCodeTestApp(env: Record<string, string> = {}): Promise<CodeTestApp> {
  const sink = await startWebhookSink(WEBHOOK_SECRET);
  const t = await createTestApp({
    ...webhookEnv(sink.url),
    CODE_IP_MAX: '100000',
    CODE_GLOBAL_MAX: '100000',
    ...env,
  });
  const post: CodeTestApp['post'] = (path, body, { token, ip } = {}) => {
    let req = t.http().post(`${API}${path}`);
    if (ip) {
      req = req.set('X-Forwarded-For', ip);
    }
    return (token ? req.set(bearer(token)) : req).send(body);
  };
  return {
    t,
    sink,
    post,
    async codeFor(path, body, options) {
      const to = String(body.phone ?? body.email);
      const before = sink.inbox.count(to);
      const res = await post(path, body, options);
      expect(res.body).toEqual({ code: 200, msg: 'success', data: { resend_after: 60, expires_in: 300 } });
      return (await sink.inbox.next(to, before)).code;
    },
    async close() {
      await t.close();
      await sink.close();
    },
  };
}
