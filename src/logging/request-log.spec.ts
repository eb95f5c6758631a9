import Fastify from 'fastify';
import { loggerOptions } from '#src/logging/logger-options.js';
import { logOneLinePerRequest } from '#src/logging/request-log.js';

/** A Fastify app as the real one logs: Fastify's own request lines off, ours on; its lines collected. */
async function appAt(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const app = Fastify({
    logger: loggerOptions(level, { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    disableRequestLogging: true,
  });
  logOneLinePerRequest(app);
  app.get('/things/:id', () => ({ ok: true }));
  app.post('/login', (_request, reply) =>
    reply.code(401).send({ code: 401, msg: 'Wrong password', error: 'INVALID_CREDENTIALS', data: null }),
  );
  await app.ready();
  return { app, lines };
}

describe(logOneLinePerRequest.name, () => {
  it('writes one line per request: method, route template, status, error code and milliseconds', async () => {
    const { app, lines } = await appAt('info');
    await app.inject({ method: 'GET', url: '/things/42?token=secret' });
    await app.inject({ method: 'POST', url: '/login', payload: { password: 'hunter2' } });
    await app.close();

    const requests = lines.filter((line) => line.route !== undefined);
    expect(requests).toEqual([
      expect.objectContaining({ level: 30, method: 'GET', route: '/things/:id', status: 200, ms: expect.any(Number) }),
      expect.objectContaining({
        level: 40,
        method: 'POST',
        route: '/login',
        status: 401,
        error: 'INVALID_CREDENTIALS',
      }),
    ]);
    expect(requests[0].msg).toMatch(/^GET \/things\/:id 200 \d+ms$/);
    expect(requests[1].msg).toMatch(/^POST \/login 401 INVALID_CREDENTIALS \d+ms$/);
    // Without pino's own numbers (time, pid) and the duration, whose digits may contain the id by chance.
    const text = JSON.stringify(lines.map(({ time: _t, pid: _p, ms: _m, ...rest }) => rest));
    expect(text).not.toMatch(/incoming request|request completed|secret|hunter2|42/);
  });

  it('keeps refusals at warn, so a production level of warn still shows them, and successes out', async () => {
    const { app, lines } = await appAt('warn');
    await app.inject({ method: 'GET', url: '/things/1' });
    await app.inject({ method: 'POST', url: '/login', payload: {} });
    await app.close();
    expect(lines.map((line) => line.msg)).toEqual([expect.stringMatching(/^POST \/login 401 INVALID_CREDENTIALS/)]);
  });

  it('logs the start and the end of a shutdown', async () => {
    const { app, lines } = await appAt('info');
    await app.close();
    expect(lines.map((line) => line.msg)).toEqual([
      'shutting down: refusing new requests, finishing those in flight',
      'stopped',
    ]);
  });
});
