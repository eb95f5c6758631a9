import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { useContainer } from 'class-validator';
import { LogController, type FastifyInstance, type onRequestHookHandler } from 'fastify';
import helmet from 'helmet';
import { AppModule } from '#src/app.module.js';
import { leaveOutGuardSteps, leaveOutTokenChecks } from '#src/bench-features.js';
import { completeErrorResponses } from '#src/common/openapi-errors.js';
import { unprefixedRoutes } from '#src/common/decorators/unprefixed.decorator.js';
import { serveDemoPage } from '#src/common/demo-page.js';
import { AllExceptionsFilter } from '#src/common/filters/all-exceptions.filter.js';
import { answerClientError, answerFrameworkError, refuseWhileClosing } from '#src/common/filters/framework-errors.js';
import { jsonBodyParser, refuseNonJsonBody } from '#src/common/filters/json-body.js';
import { compileResponseSchemas } from '#src/common/interceptors/compiled-responses.js';
import { EnvelopeFastifyAdapter, markSkippedEnvelopes } from '#src/common/interceptors/envelope.js';
import { createValidationPipe } from '#src/common/validation/validation.pipe.js';
import { I18nService } from '#src/common/i18n/i18n.service.js';
import { validationRulesMarkdown } from '#src/common/i18n/rules-doc.js';
import appConfig from '#src/config/app.config.js';
import benchConfig, { type BenchFeature } from '#src/config/bench.config.js';
import httpConfig from '#src/config/http.config.js';
import { readTrustProxy } from '#src/config/trust-proxy.js';
import {
  genReqId,
  lazyChildLoggerFactory,
  logFormatFor,
  loggerOptions,
  REQUEST_ID_HEADER,
  type LogDestination,
} from '#src/logging/logger-options.js';
import { RolesService } from '#src/platform/roles/roles.service.js';
import { PinoLoggerService } from '#src/logging/pino-logger.service.js';
import { logOneLinePerRequest } from '#src/logging/request-log.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { PasswordService } from '#src/passwords/password.service.js';
import { refuseWhenHashQueueFull } from '#src/passwords/refuse-when-full.js';

export const API_PREFIX = 'api/v1';
const API_PATH = `/${API_PREFIX}/`;

/**
 * Issue 29: the routes every client calls most, whose success answers Fastify writes with a serializer compiled from
 * their OpenAPI schema (see compileResponseSchemas).
 */
const HOT_ROUTES = [
  `GET ${API_PATH}auth/check`,
  `GET ${API_PATH}users/me`,
  `POST ${API_PATH}auth/refresh`,
  `POST ${API_PATH}auth/login`,
];

/** SPEC §3: bodies over 16 KiB are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The HTTP adapter for `main.ts` and the e2e tests alike; tests may read the log lines through `logStream`. */
export function createFastifyAdapter(options: { logStream?: LogDestination } = {}): FastifyAdapter {
  const { env, logLevel } = appConfig();
  // Issue 29: BENCH_DISABLE (benchmarks only, refused in production) decides here, once, what is registered.
  const { disabled } = benchConfig();
  const logging = !disabled.has('logging');
  const Adapter = disabled.has('envelope') ? FastifyAdapter : EnvelopeFastifyAdapter;
  const adapter = new Adapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: readTrustProxy(),
    logger: logging ? loggerOptions(logLevel, options.logStream, logFormatFor(env)) : false,
    // genReqId reads and vets X-Request-Id itself: Fastify's requestIdHeader would trust any value.
    requestIdHeader: false,
    ...(!disabled.has('request-id') && { genReqId }),
    ...(logging && { childLoggerFactory: lazyChildLoggerFactory }),
    // logOneLinePerRequest writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // On SIGTERM close() drops idle keep-alive sockets and lets in-flight requests finish; a request that still
    // arrives is refused 503 in the envelope by `refuseWhileClosing`, not by Fastify's own body.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    // SPEC §10: errors raised before Nest's pipeline still answer in the envelope and never echo the path.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  acceptJsonBodiesOnly(adapter);
  logOneLinePerRequest(fastify, {
    errorCode: logging && !disabled.has('hook:request-log-onsend'),
    line: logging && !disabled.has('hook:request-log-onresponse'),
  });
  const headers = answerHeadersHook(!disabled.has('request-id'), !disabled.has('security-headers'));
  if (headers) {
    fastify.addHook('onRequest', headers);
  }
  if (!disabled.has('hook:closing-onsend')) {
    hangUpWhileClosing(fastify);
  }
  return adapter;
}

/**
 * One onRequest hook for every answer's headers (issue 16: each hook is a step of Fastify's hook runner per
 * request): the request id and the security headers. Either may be left out by a benchmark (issue 29); which
 * variant runs is chosen here, once.
 */
function answerHeadersHook(requestId: boolean, security: boolean): onRequestHookHandler | undefined {
  if (!security) {
    return requestId
      ? (request, reply, done) => {
          void reply.header(REQUEST_ID_HEADER, request.id);
          done();
        }
      : undefined;
  }
  const fullHelmet = browserPageHelmet();
  const securityHeaders: onRequestHookHandler = (request, reply, done) => {
    // Decided on the matched route, not the raw URL: `/%61pi/v1/auth/login` reaches the login route too (issue 23).
    if ((request.routeOptions.url ?? request.url).startsWith(API_PATH)) {
      for (const [name, value] of API_SECURITY_HEADERS) {
        void reply.header(name, value);
      }
      done();
      return;
    }
    fullHelmet(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  };
  if (!requestId) {
    return securityHeaders;
  }
  return function answerHeaders(this: FastifyInstance, request, reply, done) {
    void reply.header(REQUEST_ID_HEADER, request.id);
    securityHeaders.call(this, request, reply, done);
  };
}

/**
 * A keep-alive socket that finishes its request during shutdown would hold close() for the keep-alive timeout:
 * answers sent while closing tell the client to hang up instead.
 */
function hangUpWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) {
      void reply.header('connection', 'close');
    }
    done(null, payload);
  });
}

/**
 * SPEC §3: a body is JSON or refused. Fastify parses `text/plain` into a string and Nest adds a form parser at init,
 * so a JSON body sent as either was read as no fields or one giant unknown field (issue 23). Only `application/json`
 * is parsed; any other type, or a body without one, is 415 UNSUPPORTED_MEDIA_TYPE (OWASP REST Security Cheat Sheet,
 * "Validate content types"), answered by the exception filter in the caller's language. Registered through
 * `useBodyParser`, whose catch-all tells Nest a parser is already chosen for every type, so it adds none at init.
 * A request without a body (no Content-Type, no Content-Length) never reaches a parser, whatever the route.
 */
function acceptJsonBodiesOnly(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');
  const options = { bodyLimit: BODY_LIMIT_BYTES };
  // Fastify's default parser is the callback form of its FastifyBodyParser union; it returns nothing.
  const fastifyJson = fastify.getDefaultJsonParser('error', 'error') as Parameters<typeof jsonBodyParser>[0];
  adapter.useBodyParser('application/json', false, options, jsonBodyParser(fastifyJson));
  adapter.useBodyParser('*', false, options, refuseNonJsonBody);
}

/**
 * Everything a request meets on its way in and out, shared by `main.ts` and
 * every e2e test so that tests exercise what users get.
 */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new PinoLoggerService(fastify.log));
  // Controllers marked @Unprefixed() (health, metrics, JWKS) declare themselves; no feature route is listed here.
  app.setGlobalPrefix(API_PREFIX, { exclude: unprefixedRoutes(app) });
  useContainer(cachedContainer(app.select(AppModule)), { fallback: true, fallbackOnErrors: true });
  const { disabled } = benchConfig();
  if (!disabled.has('validation-pipe')) {
    app.useGlobalPipes(createValidationPipe());
  }
  app.useGlobalFilters(new AllExceptionsFilter(app.get(I18nService)));
  if (!disabled.has('hook:refuse-while-closing')) {
    refuseWhileClosing(fastify, app.get(I18nService));
  }
  markSkippedEnvelopes(app);
  setUpHttpSecurity(app);
  const { docsEnabled, demoEnabled } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  registerRequestHooks(app, disabled);
  // Built once, before the routes are registered: the hot routes' serializers are compiled from it.
  const document = buildOpenApiDocument(app);
  if (!disabled.has('compiled-responses') && !disabled.has('envelope')) {
    compileResponseSchemas(fastify, document, HOT_ROUTES);
  }
  if (docsEnabled) {
    setUpSwagger(app, document);
  }
  if (demoEnabled) {
    serveDemoPage(app);
  }
  // SIGTERM drains, then exits 0 (SPEC §18): re-raising the signal, Nest's default, ends a process with 143, and is
  // ignored by a container's PID 1, which then hangs until the runtime kills it.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * The hashing gate (after CORS, so its 503 carries CORS headers) and the latency histogram. BENCH_DISABLE (issue 29,
 * benchmarks only) leaves either, the access token's claim and revocation checks, or the guard's steps after
 * authentication out of this process; production registers them all.
 */
function registerRequestHooks(app: NestFastifyApplication, disabled: ReadonlySet<BenchFeature>): void {
  const fastify = app.getHttpAdapter().getInstance();
  if (!disabled.has('hook:hash-queue-gate')) {
    const { registrationEnabled } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
    // Registration that is closed answers 403 as before, whatever the queue.
    refuseWhenHashQueueFull(fastify, app.get(PasswordService), app.get(I18nService), [
      `/${API_PREFIX}/auth/login`,
      ...(registrationEnabled ? [`/${API_PREFIX}/auth/register`] : []),
    ]);
  }
  if (!disabled.has('metrics')) {
    app.get(MetricsService).instrument(fastify);
  }
  leaveOutTokenChecks(app, disabled);
  leaveOutGuardSteps(app, disabled);
}

/**
 * class-validator asks the container for its own `Validator` and for every constraint class on each validation;
 * Nest's `get()` answers a class it does not provide by throwing UnknownElementException, stack trace included,
 * which class-validator catches to use its default container. Issue 16: in a profile of logins that was the largest
 * JavaScript cost of a request with a body. Each class is looked up once; Nest's providers are singletons here.
 */
function cachedContainer(nest: INestApplicationContext): {
  get<T>(someClass: new (...args: unknown[]) => T): T | undefined;
} {
  const instances = new Map<unknown, unknown>();
  return {
    get<T>(someClass: new (...args: unknown[]) => T): T | undefined {
      if (!instances.has(someClass)) {
        let instance: T | undefined;
        try {
          instance = nest.get(someClass, { strict: false });
        } catch {
          instance = undefined; // not a Nest provider: class-validator's default container makes it
        }
        instances.set(someClass, instance);
      }
      return instances.get(someClass) as T | undefined;
    },
  };
}

/**
 * OWASP REST Security Cheat Sheet, "Security headers": a JSON answer needs only `nosniff`, a CSP that forbids
 * everything including framing, and HSTS; the browser-page headers helmet adds would only cost `writev` bytes.
 * helmet's default HSTS value is kept so API answers tell browsers exactly what they did before.
 */
const API_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  // RFC 6749 §5.1 and the OWASP REST Security Cheat Sheet: answers carrying tokens, TOTP secrets or recovery
  // codes must not be stored by any cache. Every API answer is personal, so one prefix test covers them all.
  ['cache-control', 'no-store'],
  ['x-content-type-options', 'nosniff'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
];

/**
 * Full helmet for /docs, the demo page and the probes, built once: @fastify/helmet rebuilt it (and re-parsed the CSP
 * directives) on every request.
 */
function browserPageHelmet(): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: {
      // Swagger UI at /docs loads only same-origin scripts; helmet's default CSP fits it, except that
      // upgrade-insecure-requests would break /docs served over plain HTTP on a private network.
      directives: { upgradeInsecureRequests: null },
    },
  });
}

/** The security headers are set by createFastifyAdapter()'s onRequest hook; CORS, when configured, here. */
function setUpHttpSecurity(app: NestFastifyApplication): void {
  const { corsOrigins } = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  if (corsOrigins.length > 0) {
    // OWASP HTML5 Security Cheat Sheet: an explicit origin list, never a reflected Origin. Bearer tokens, no cookies.
    app.enableCors({
      origin: corsOrigins.includes('*') ? '*' : corsOrigins,
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
}

/** The OpenAPI document `/docs-json` serves; the e2e tests build it too, to check every answer against it. */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Gatehouse')
    .setDescription(
      [
        'Authentication API. Every answer under /api/v1 is an envelope `{code, msg, data}`; errors add a stable `error` code.',
        'Error `msg`s and field `message`s follow `Accept-Language` (`zh-CN` or `en`, else `DEFAULT_LOCALE`); a 400',
        '`VALIDATION_FAILED` lists `errors: [{field, rule, params, message}]`, where `field`, `rule` and `params` never',
        'change with the language. The rules:\n',
        validationRulesMarkdown(),
      ].join('\n'),
    )
    .setVersion('1')
    .addBearerAuth()
    // In the order a new user walks through them: get an account, use it, then the admin and operator views.
    .addTag('auth', 'Register, log in (password, or a code by SMS), refresh and log out. Start here.')
    .addTag('verification', 'One-time codes by SMS or email: log in with one, reset a password, prove a contact.')
    .addTag('users', 'Your profile and password. Authorize with the `access_token` from login first.')
    .addTag('social', 'Sign in with WeChat, GitHub or an OpenID Connect provider, and link those identities.')
    .addTag(
      'admin webhooks',
      'Signed webhooks for audit events: subscriptions, secrets and the delivery log, for `admin`.',
    )
    .addTag('sessions', 'Where you are logged in, and ending those sessions.')
    .addTag('mfa', 'Two-step login with an authenticator app (TOTP) and recovery codes.')
    .addTag('admin', 'Users and the audit trail, for the `admin` role.')
    .addTag('operations', 'Public signing keys (JWKS) and Prometheus metrics, outside /api/v1.')
    .addTag('health', 'Liveness and readiness probes, outside /api/v1.')
    .build();
  const document = completeErrorResponses(SwaggerModule.createDocument(app, config));
  // Roles from ROLES= are known only once config is read: the role enum lists every role this deployment accepts.
  const role = (document.components?.schemas?.UpdateUserDto as { properties?: Record<string, { enum?: unknown[] }> })
    ?.properties?.role;
  if (role !== undefined) {
    role.enum = app.get(RolesService).list();
  }
  return document;
}

function setUpSwagger(app: NestFastifyApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    // Manual testing: the token pasted into Authorize survives a reload of the page.
    // Swagger UI's syntax highlighter freezes the page for seconds to minutes on a long answer (GET /metrics, a
    // full audit page): shown as plain text, every operation's answer appears at once.
    swaggerOptions: { persistAuthorization: true, syntaxHighlight: false },
  });
}
