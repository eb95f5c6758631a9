import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What a stand-in received, one per delivery attempt. */
export interface Received {
  to: string;
  code: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  /** Path and query of the request (SDK stand-ins). */
  url: string;
}

/** Collects deliveries and lets a test await the next one for a destination. */
class Inbox {
  readonly received: Received[] = [];
  private waiters: Array<{ to: string; resolve: (r: Received) => void }> = [];

  push(r: Received): void {
    this.received.push(r);
    const waiter = this.waiters.find((w) => w.to === r.to);
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(r);
    }
  }

  /** The next delivery to `to` after `since` deliveries to it (default: every one so far). */
  next(to: string, since = this.count(to)): Promise<Received> {
    const already = this.received.filter((r) => r.to === to)[since];
    if (already) {
      return Promise.resolve(already);
    }
    return new Promise((resolve) => this.waiters.push({ to, resolve }));
  }

  count(to: string): number {
    return this.received.filter((r) => r.to === to).length;
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) {
    raw += String(chunk);
  }
  return raw;
}

/** An HTTP receiver for the SPEC §12 webhook that refuses (401) a request whose signature does not verify. */
export async function startWebhookSink(secret: string) {
  const inbox = new Inbox();
  const state = { failuresLeft: 0, badSignatures: 0, holding: false };
  const held: Array<() => void> = [];
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const timestamp = String(req.headers['x-gatehouse-timestamp']);
      const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
      const given = String(req.headers['x-gatehouse-signature']);
      if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
        state.badSignatures += 1;
        res.writeHead(401).end();
        return;
      }
      if (state.holding) {
        // A provider that does not answer yet: the request waits until the test calls release().
        held.push(() => {
          const body = JSON.parse(raw) as Record<string, unknown>;
          inbox.push({ to: String(body.to), code: String(body.code), body, headers: req.headers, url: req.url ?? '' });
          res.writeHead(204).end();
        });
        return;
      }
      if (state.failuresLeft > 0) {
        state.failuresLeft -= 1;
        res.writeHead(503).end();
        return;
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      inbox.push({ to: String(body.to), code: String(body.code), body, headers: req.headers, url: req.url ?? '' });
      res.writeHead(204).end();
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    inbox,
    state,
    /** The next `n` deliveries answer 503. */
    failNext(n: number) {
      state.failuresLeft = n;
    },
    /** Deliveries that arrived while holding and have had no answer yet. */
    held,
    /** Answers every held delivery and stops holding. */
    release() {
      state.holding = false;
      held.splice(0).forEach((answer) => answer());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Stands in for the Aliyun (`x-acs-action`) and Tencent Cloud (`x-tc-action`) SMS APIs, reached through each SDK's
 * endpoint option, and records what the SDK sent: action, phone, template, sign name, code.
 */
export async function startSmsApiStandIn() {
  const inbox = new Inbox();
  /** Phones (as the vendor receives them) whose sends fail, as a vendor's quota error would. */
  const failFor = new Set<string>();
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.setHeader('content-type', 'application/json');
      if (req.headers['x-acs-action']) {
        const q = url.searchParams;
        const param = JSON.parse(q.get('TemplateParam') ?? '{}') as { code?: string };
        inbox.push({
          to: q.get('PhoneNumbers') ?? '',
          code: param.code ?? '',
          body: {
            vendor: 'aliyun',
            action: req.headers['x-acs-action'],
            signName: q.get('SignName'),
            template: q.get('TemplateCode'),
            signed: String(req.headers.authorization).startsWith('ACS3-HMAC-SHA256 Credential=test-ak'),
          },
          headers: req.headers,
          url: req.url ?? '',
        });
        res.end(JSON.stringify({ Code: 'OK', Message: 'OK', RequestId: 'r', BizId: 'b' }));
        return;
      }
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      const phones = (body.PhoneNumberSet as string[] | undefined) ?? [];
      inbox.push({
        to: phones[0] ?? '',
        code: ((body.TemplateParamSet as string[] | undefined) ?? [])[0] ?? '',
        body: {
          vendor: 'tencent',
          action: req.headers['x-tc-action'],
          signName: body.SignName,
          template: body.TemplateId,
          appId: body.SmsSdkAppId,
          signed: String(req.headers.authorization).startsWith('TC3-HMAC-SHA256 Credential=test-id/'),
        },
        headers: req.headers,
        url: req.url ?? '',
      });
      // A vendor quota error, as Tencent reports it: HTTP 200 with a failed status per number.
      const status = failFor.has(phones[0] ?? '') ? 'LimitExceeded.PhoneNumberDailyLimit' : 'Ok';
      res.end(
        JSON.stringify({ Response: { SendStatusSet: [{ Code: status, PhoneNumber: phones[0] }], RequestId: 'r' } }),
      );
    });
  });
  const port = await listen(server);
  return {
    endpoint: `127.0.0.1:${port}`,
    inbox,
    failFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An in-process SMTP server on 127.0.0.1 that keeps each message's raw text. */
export async function startSmtpSink() {
  const inbox = new Inbox();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        const to = session.envelope.rcptTo[0]?.address ?? '';
        const code = /code: (\d+)/.exec(raw)?.[1] ?? '';
        inbox.push({ to, code, body: { raw, from: session.envelope.mailFrom }, headers: {}, url: '' });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The signing secret the tests' webhook sinks check (SPEC §12 `X-Gatehouse-Signature`). */
export const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef0123456789';

/** Settings that send SMS and email codes to one webhook sink. */
export function webhookEnv(sinkUrl: string): Record<string, string> {
  return {
    SMS_PROVIDER: 'webhook',
    EMAIL_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: sinkUrl,
    EMAIL_WEBHOOK_URL: sinkUrl,
    WEBHOOK_SECRET,
  };
}

let phoneCounter = 0;
/** A valid mainland mobile number, unique within the run; `prefix` keeps files that share a database apart. */
export function uniquePhone(prefix: string): string {
  phoneCounter += 1;
  return `+86${prefix}${String((process.pid * 1000 + phoneCounter) % 1e8).padStart(8, '0')}`;
}
