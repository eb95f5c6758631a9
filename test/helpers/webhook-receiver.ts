import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as signed. */
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** A receiver on 127.0.0.1 that answers the scripted statuses in turn (then the last one) and keeps what it got. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answers these statuses in turn, the last one from then on. */
  answer(...statuses: number[]): void;
  /** Resolves once `count` requests have arrived: waits on the app, not on the wall clock. */
  waitFor(count: number): Promise<void>;
  /** Holds every request open until `release()`: a receiver that has not answered yet. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(...statuses: number[]): Promise<WebhookReceiver> {
  let script = statuses.length > 0 ? statuses : [200];
  let held: (() => void)[] | null = null;
  const received: ReceivedWebhook[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedWebhook['json'] });
      waiters.filter((w) => received.length >= w.count).forEach((w) => w.resolve());
      const status = script.length > 1 ? script.shift()! : script[0];
      const reply = () => res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      if (held) {
        held.push(reply);
      } else {
        reply();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer: (...next: number[]) => {
      script = next;
    },
    waitFor: (count) =>
      received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      waiting.forEach((reply) => reply());
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Verifies as a receiver would, with the `standardwebhooks` package; throws on a bad signature or body, or a
 * timestamp more than 5 minutes from `nowMs`: the receiver's clock, which agrees with the app's (the test clock).
 */
export function verifyWebhook(
  secret: string,
  message: Pick<ReceivedWebhook, 'headers' | 'body'>,
  nowMs: number,
): unknown {
  const headers = {
    'webhook-id': String(message.headers['webhook-id']),
    'webhook-timestamp': String(message.headers['webhook-timestamp']),
    'webhook-signature': String(message.headers['webhook-signature']),
  };
  const realNow = Date.now;
  Date.now = () => nowMs;
  try {
    return new Webhook(secret).verify(message.body, headers);
  } finally {
    Date.now = realNow;
  }
}
