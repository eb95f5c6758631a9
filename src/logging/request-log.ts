import type { FastifyInstance } from 'fastify';

/** The stable error code of an error envelope, read from its text without parsing the whole body. */
const ERROR_CODE = /"error":"([A-Z][A-Z0-9_]*)"/;

/**
 * One line per request, written when the answer is sent: `POST /api/v1/auth/login 401 INVALID_CREDENTIALS 12ms`,
 * with the same facts as fields (method, route, status, error, ms) for a JSON reader. It replaces Fastify's two
 * lines ("incoming request" and "request completed"), which split one request across two objects, the error code
 * in neither. 5xx at error, 4xx at warn, the rest at info: a production level of `warn` keeps refusals and faults.
 * The route is the template (`/admin/users/:id`), so no id, token or query string reaches the log (OWASP Logging
 * Cheat Sheet). Set `disableRequestLogging: true` on the Fastify instance beside it.
 */
export function logOneLinePerRequest(
  fastify: FastifyInstance,
  // Benchmarks only (issue 29): either hook left out at start to price it; both are registered otherwise.
  hooks: { errorCode: boolean; line: boolean } = { errorCode: true, line: true },
): void {
  if (hooks.errorCode) {
    captureErrorCode(fastify);
  }
  if (hooks.line) {
    writeRequestLine(fastify);
  }
  logShutdown(fastify);
}

function captureErrorCode(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      (request as { errorCode?: string }).errorCode = ERROR_CODE.exec(payload.slice(0, 512))?.[1];
    }
    done(null, payload);
  });
}

function writeRequestLine(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if ((request.log as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled(level)) {
      const route = request.routeOptions.url ?? '(no route)';
      const error = (request as { errorCode?: string }).errorCode;
      const ms = Math.round(reply.elapsedTime);
      const text = `${request.method} ${route} ${status}${error ? ` ${error}` : ''} ${ms}ms`;
      request.log[level]({ method: request.method, route, status, ...(error && { error }), ms }, text);
    }
    done();
  });
}

function logShutdown(fastify: FastifyInstance): void {
  // SPEC §10 graceful shutdown, visible: when it starts (new requests get 503) and when the server is closed.
  fastify.addHook('preClose', (done) => {
    fastify.log.info('shutting down: refusing new requests, finishing those in flight');
    done();
  });
  fastify.addHook('onClose', (_instance, done) => {
    fastify.log.info('stopped');
    done();
  });
}
