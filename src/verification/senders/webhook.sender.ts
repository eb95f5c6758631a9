import { createHmac } from 'node:crypto';
import type { CodeMessage, CodeSender } from '#src/verification/senders/code-sender.js';
import { type Clock } from '#src/platform/index.js';

const TIMEOUT_MS = 5000;

/**
 * SPEC §12: a POST of the message, signed like Stripe/Slack webhooks so the receiver can check origin and
 * freshness: `X-Gatehouse-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`.
 */
export class WebhookSender implements CodeSender {
  readonly name = 'webhook';

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
    const timestamp = String(Math.floor(this.clock.now() / 1000));
    const signature = createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex');
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gatehouse-timestamp': timestamp,
        'x-gatehouse-signature': `v1=${signature}`,
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) {
      throw new Error(`webhook answered ${res.status}`);
    }
  }
}
