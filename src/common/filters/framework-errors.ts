import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import { toErrorResponse } from '#src/common/filters/error-response.js';
import type { I18nService } from '#src/common/i18n/i18n.service.js';

/**
 * Errors Fastify raises before any route, and so before Nest's filter (SPEC
 * §10): a URL it cannot decode, a path parameter over `maxParamLength`. Same
 * envelope as every other error, and never the path, which Fastify's own
 * bodies echo (OWASP ASVS 5.0 V16.5.1: generic error messages).
 */
export function answerFrameworkError(error: unknown, _request: FastifyRequest, reply: FastifyReply): void {
  const response = toErrorResponse(error);
  void reply.status(response.status).headers(response.headers).header('cache-control', 'no-store').send(response.body);
}

/** The start of a request line (`GET /…`) that never reached its end within the header limit. */
const UNFINISHED_REQUEST_LINE = /^[A-Z]+ [^\r\n]*$/;

/** Node's parser refusing a request (RFC 9112 §3 and §5) has no request object at all: status from its code. */
function clientErrorStatus(error: ConnectionError): number {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return 408;
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    // The request line counts against the header limit: one that never ended is a URI too long (RFC 9110 §15.5.15).
    // Typed as Buffer's JSON form, but Node hands over the Buffer itself.
    const raw: unknown = error.rawPacket;
    const head = Buffer.isBuffer(raw) ? raw.subarray(0, 16 * 1024).toString('latin1') : '';
    return UNFINISHED_REQUEST_LINE.test(head) ? 414 : 431;
  }
  return 400;
}

/**
 * Fastify's `clientErrorHandler`: malformed requests that Node's HTTP parser
 * refuses (a bad header, a request line or headers over the limit, a client
 * too slow to send them) answer in the envelope on the raw socket.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  // ECONNRESET: the client is gone, nothing to answer (Node's own clientError handling does the same).
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  if (socket.writable) {
    const status = clientErrorStatus(error);
    const body = JSON.stringify(toErrorResponse({ statusCode: status }).body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

/**
 * SPEC §3/§10: a request that reaches a closing server (on a keep-alive socket that was busy when close() began) is
 * refused 503 SERVICE_UNAVAILABLE with Retry-After in the envelope, in the caller's language, before any work: a
 * load balancer sends it elsewhere. Fastify's own `return503OnClosing` answers with its own body, so the adapter
 * turns that off and this hook answers instead.
 */
export function refuseWhileClosing(fastify: FastifyInstance, i18n: I18nService): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) {
      done();
      return;
    }
    const error = new AppException(CoreErrors.SERVICE_UNAVAILABLE, { retryAfter: 5 });
    const response = toErrorResponse(error, i18n.localeOf(request.headers['accept-language']));
    void reply.status(response.status).headers(response.headers).send(response.body);
  });
}
