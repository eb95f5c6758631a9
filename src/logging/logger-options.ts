import type { FastifyBaseLogger, FastifyServerOptions, RawRequestDefaultExpression } from 'fastify';
import { randomUUID } from 'node:crypto';
import { prettyFactory } from 'pino-pretty';

/** Where log lines go: stdout by default; tests pass a stream of their own to read them. */
export interface LogDestination {
  write(line: string): void;
}

/** `json` for machines (production, tests); `pretty` for a person reading a terminal (development). */
export type LogFormat = 'json' | 'pretty';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A client's id is kept only when it cannot smuggle anything into a log line or a header. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Body fields and headers that carry a secret (OWASP Logging Cheat Sheet: never log credentials or tokens). */
const SECRET_FIELDS = [
  'password',
  'current_password',
  'new_password',
  'access_token',
  'refresh_token',
  'mfa_token',
  'code',
  'recovery_code',
];
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie'];

export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/** Echoes a sane `X-Request-Id`, otherwise mints a UUID (SPEC §10). */
export function genReqId(req: RawRequestDefaultExpression): string {
  const sent = req.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Development logs are for a person: the format follows NODE_ENV, production keeps JSON. */
export function logFormatFor(env: string): LogFormat {
  return env === 'development' ? 'pretty' : 'json';
}

/**
 * Turns pino's JSON lines into one readable line each (local time, level, message, then the fields),
 * synchronously, so the order of lines and `LogDestination` stay as they are. Redaction has already
 * happened in pino, before the line reaches this stream.
 */
export function prettyDestination(destination: LogDestination, colorize = false): LogDestination {
  const prettify = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  });
  return { write: (line) => destination.write(prettify(line)) };
}

/** Fastify's built-in pino: the request id on every line of a request, secrets censored; JSON or pretty. */
export function loggerOptions(
  level: string,
  stream?: LogDestination,
  format: LogFormat = 'json',
): FastifyServerOptions['logger'] {
  const pretty = format === 'pretty';
  const destination = stream ?? (pretty ? process.stdout : undefined);
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    ...(destination
      ? { stream: pretty ? prettyDestination(destination, !stream && process.stdout.isTTY) : destination }
      : {}),
  };
}

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
/** Fastify's logger is pino: its typings leave out the two methods used here. */
type PinoLike = FastifyBaseLogger & { isLevelEnabled(level: string): boolean; bindings(): Bindings };

/**
 * A request's logger that becomes pino's child (with the request id bound, its redaction set up) only when a line
 * at an enabled level is written. Issue 16: Fastify built that child for every request, and at the production
 * level (`warn`) nearly every request writes nothing, so the child, its bindings and its redaction were waste.
 * Each method asks the parent's current level, so a level changed at run time is followed.
 */
class LazyRequestLogger {
  private real: PinoLike | undefined;

  constructor(
    private readonly parent: PinoLike,
    private readonly bindingsOf: Bindings,
    private readonly options: ChildOptions,
  ) {}

  get level(): string {
    return this.real?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.child_().level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  isLevelEnabled(level: string): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }

  bindings(): Bindings {
    return this.child_().bindings();
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.child_().child(bindings, options);
  }

  private write(level: LevelName, args: unknown[]): void {
    if (this.real === undefined && !this.parent.isLevelEnabled(level)) {
      return;
    }
    const logger = this.child_();
    Reflect.apply(logger[level], logger, args);
  }

  private child_(): PinoLike {
    return (this.real ??= this.parent.child(this.bindingsOf, this.options) as PinoLike);
  }
}

/**
 * Fastify's `childLoggerFactory`: the request id stays on every line a request logs (SPEC §10), and the child is
 * built only for the first such line. A route with a log level of its own gets its child at once.
 */
export const lazyChildLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) =>
  options.level === undefined
    ? new LazyRequestLogger(logger as PinoLike, bindings, options)
    : logger.child(bindings, options);
