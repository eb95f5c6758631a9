import { createHmac, randomUUID } from 'node:crypto';
import type { CodeMessage, CodeSender } from '#src/verification/senders/code-sender.js';
import { type Clock } from '#src/platform/index.js';

const TIMEOUT_MS = 5000;

/**
 * SPEC §12: a POST of the message, signed like Stripe/Slack webhooks so the receiver can check origin and
 * freshness: `X-Gatehouse-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`.
 */
export class WebhookSender implements CodeSender {
  readonly name = 'webhook';
  /** SPEC §12: one X-Gatehouse-Id per message; a retry sends the same message object, so the same id. */
  private readonly ids = new WeakMap<CodeMessage, string>();

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  async send(m: CodeMessage): Promise<void> {
    const body = JSON.stringify({
      channel: m.channel,
      to: m.to,
      purpose: m.purpose,
      code: m.code,
      locale: m.locale,
      expires_in: m.expires_in,
    });
    const id = this.ids.get(m) ?? randomUUID();
    this.ids.set(m, id);
    const timestamp = String(Math.floor(this.clock.now() / 1000));
    const signature = createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex');
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gatehouse-timestamp': timestamp,
        'x-gatehouse-signature': `v1=${signature}`,
        'x-gatehouse-id': id,
      },
      body,
      // A redirect is a failed send, not followed: the code must not be carried to a host the config did not name
      // (OWASP SSRF Prevention Cheat Sheet: disable redirects).
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) {
      throw new Error(`webhook answered ${res.status}`);
    }
  }
}
