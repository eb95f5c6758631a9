import { Injectable } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { checkAddress, guardedLookup, type UrlGuardOptions } from '#src/webhooks/url-guard.js';

export interface SignedMessage {
  /** `webhook-id`: the same on every attempt. */
  id: string;
  /** Epoch milliseconds of this attempt: `webhook-timestamp` is fresh per attempt (SPEC §16). */
  at: number;
  body: string;
  /** The current secret first, then a rotated one still inside its overlap. */
  secrets: string[];
}

export interface SendResult {
  statusCode: number | null;
  error: string | null;
}

/** What a receiver says, at most: the body is read only to free the socket, never stored. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Standard Webhooks headers: one `v1,<base64>` per secret, space-separated, so a receiver holding either the new
 * or the rotated secret verifies during the overlap (standard-webhooks spec, "Signature scheme").
 */
export function signatureHeaders(message: SignedMessage): Record<string, string> {
  const timestamp = new Date(message.at);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.at / 1000)),
    'webhook-signature': message.secrets
      .map((secret) => new Webhook(secret).sign(message.id, timestamp, message.body))
      .join(' '),
  };
}

/** POSTs one signed message: no redirects followed (node's http never follows), a hard timeout, the SSRF guard. */
@Injectable()
export class WebhookSender {
  send(
    url: string,
    message: SignedMessage,
    guard: UrlGuardOptions,
    timeoutMs: number,
    stop?: AbortSignal,
  ): Promise<SendResult> {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(host) ? checkAddress(host, target.protocol, guard) : null;
    if (refused) {
      return Promise.resolve({ statusCode: null, error: refused });
    }
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(
        target,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Gatehouse-Webhooks/1',
            ...signatureHeaders(message),
          },
          lookup: guardedLookup(target.protocol, guard),
          // SPEC §16: a receiver gets 10 s, whatever it does with the connection.
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(stop ? [stop] : [])]),
        },
        (res) => {
          let received = 0;
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) {
              res.destroy();
            }
          });
          const done = () => resolve({ statusCode: res.statusCode ?? null, error: null });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => {
        const aborted = e.name === 'AbortError' || e.name === 'TimeoutError';
        const error = stop?.aborted ? 'shutting down' : aborted ? `timed out after ${timeoutMs} ms` : e.message;
        resolve({ statusCode: null, error: error.slice(0, 200) });
      });
      req.end(message.body);
    });
  }
}
