import type { FastifyInstance } from 'fastify';
import { toErrorResponse, type ErrorResponse } from '#src/common/filters/error-response.js';
import type { I18nService } from '#src/common/i18n/i18n.service.js';
import type { Locale } from '#src/common/i18n/locales.js';
import { queueFullError } from '#src/passwords/hash-queue.js';
import type { PasswordService } from '#src/passwords/password.service.js';

/**
 * Issue 16 / SPEC §6: while the hashing queue is full, a request to a route that hashes (`POST` login, register) is
 * answered 503 SERVICE_UNAVAILABLE with `Retry-After` in the onRequest step, before its body is read, validated or
 * throttled and before any account is looked up: a refusal costs the event loop almost nothing, leaves no throttle
 * count or audit row, and does not wait behind the work of requests that will be refused anyway (OWASP Denial of
 * Service Cheat Sheet: reject early, before expensive processing).
 *
 * "Full" also counts the requests admitted here that have not answered yet: a burst of logins arrives before any of
 * them has reached the queue (their lookups are still running), and measured at -c 256 the first wave's refusals
 * otherwise waited ~230 ms behind that work. So at most HASH_CONCURRENCY + HASH_QUEUE_MAX such requests are in
 * flight; the queue itself still refuses a job that finds it full later (password change, MFA, a rehash).
 */
export function refuseWhenHashQueueFull(
  fastify: FastifyInstance,
  passwords: PasswordService,
  i18n: I18nService,
  urls: readonly string[],
): void {
  const guarded = new Set(urls);
  // The answer never changes within a language: built once per locale, not per refusal (an AppException captures
  // a stack trace, and the refusals come in bursts).
  const answers = new Map<Locale, ErrorResponse>();
  const answerIn = (locale: Locale): ErrorResponse => {
    let response = answers.get(locale);
    if (!response) {
      response = toErrorResponse(queueFullError(), locale);
      answers.set(locale, response);
    }
    return response;
  };
  let admitted = 0;
  const release = () => {
    admitted--;
  };
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'POST' || !guarded.has(request.routeOptions.url ?? '')) {
      done();
      return;
    }
    if (passwords.queueFull || admitted >= passwords.queueCapacity) {
      passwords.countEarlyRefusal();
      const response = answerIn(i18n.localeOf(request.headers['accept-language']));
      void reply.status(response.status).headers(response.headers).send(response.body);
      return;
    }
    admitted++;
    // 'close' follows every response, sent or aborted.
    reply.raw.once('close', release);
    done();
  });
}
