import type { FastifyRequest } from 'fastify';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';

type Done = (error: Error | null, body?: unknown) => void;
type BodyParser<T> = (request: FastifyRequest, body: T, done: Done) => void;

/** V8's wording for most syntax errors: `… in JSON at position 7 (line 1 column 8)`. */
const AT_POSITION = /at position (\d+)/;
/** V8's wording for a text that stops where more was expected. */
const END_OF_INPUT = /end of JSON input/;

/** Where `JSON.parse` stops on `text`, as a character offset, from V8's message; `end` when it ran out of text. */
function parseFailure(text: string): number | 'end' | 'unknown' | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    const at = AT_POSITION.exec(message)?.[1];
    if (at !== undefined) {
      // V8 reports a text cut off inside a string, number or escape at its very end.
      return Number(at) >= text.length ? 'end' : Number(at);
    }
    return END_OF_INPUT.test(message) ? 'end' : 'unknown';
  }
}

/**
 * The character offset (from 0) at which `text` stops being JSON, or `undefined` when it is JSON. V8 names the
 * position for most errors but not for an unexpected token (`Unexpected token 'x', "…" is not valid JSON`): then the
 * shortest prefix that is wrong, rather than unfinished or JSON, ends at it. Every longer prefix is wrong too, so a
 * binary search finds it in at most 15 parses of a 16 KiB body.
 */
export function jsonErrorPosition(text: string): number | undefined {
  const failure = parseFailure(text);
  if (failure === undefined || typeof failure === 'number') {
    return failure;
  }
  if (failure === 'end') {
    return text.length;
  }
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const prefix = parseFailure(text.slice(0, middle));
    if (prefix === 'unknown' || typeof prefix === 'number') {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  const found = parseFailure(text.slice(0, low));
  return typeof found === 'number' ? found : low - 1;
}

/**
 * SPEC §3: malformed JSON is 400 VALIDATION_FAILED with a field error that says where (`rule: "json"`,
 * `params.position`). Only the offset is given, never V8's message, which quotes the body and so could carry a
 * password (OWASP ASVS 5.0 V16.5.1: error answers reveal nothing sensitive).
 */
export function malformedJson(text: string): AppException {
  const position = jsonErrorPosition(text);
  if (position === undefined) {
    // JSON, but refused by the prototype-poisoning check (`__proto__`, `constructor.prototype`).
    return new AppException(CoreErrors.VALIDATION_FAILED, { errors: [{ field: 'body', rule: 'invalid' }] });
  }
  return new AppException(CoreErrors.VALIDATION_FAILED, {
    errors: [{ field: 'body', rule: 'json', params: { position } }],
  });
}

/**
 * The body parser for `application/json`: Fastify's own (secure-json-parse, which refuses `__proto__` and
 * `constructor.prototype` keys), with its bare "not valid JSON" answer replaced by `malformedJson`.
 */
export function jsonBodyParser(fastifyDefault: BodyParser<string>): BodyParser<Buffer> {
  return (request, body, done) => {
    const text = body.toString('utf8');
    fastifyDefault(request, text, (error, parsed) => {
      if (error) {
        // secure-json-parse skips a leading byte order mark: the position counts from after it too.
        done(malformedJson(text.replace(/^\uFEFF/, '')));
        return;
      }
      done(null, parsed);
    });
  };
}

/**
 * Every other content type, and a body sent without one: 415 naming `application/json` (SPEC §3). A path no route
 * matches stays 404, whatever its body: Fastify runs the catch-all parser for it too.
 */
export function refuseNonJsonBody(request: FastifyRequest, _body: Buffer, done: Done): void {
  done(request.is404 ? null : new AppException(CoreErrors.UNSUPPORTED_MEDIA_TYPE));
}
