import Fastify from 'fastify';
import { genReqId, lazyChildLoggerFactory, loggerOptions } from '#src/logging/logger-options.js';

/** A Fastify app with the production logger options, its lines collected, and a count of child loggers built. */
async function appAt(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const app = Fastify({
    logger: loggerOptions(level, { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    genReqId,
    requestIdHeader: false,
    childLoggerFactory: lazyChildLoggerFactory,
  });
  let children = 0;
  const child = app.log.child.bind(app.log);
  app.log.child = (...args: Parameters<typeof child>) => {
    children++;
    return child(...args);
  };
  app.post('/quiet', () => ({ ok: true }));
  app.post('/warns', (request) => {
    request.log.warn({ body: request.body }, 'something odd');
    return { ok: true };
  });
  await app.ready();
  return { app, lines, children: () => children };
}

describe(lazyChildLoggerFactory.name, () => {
  it('builds no per-request logger when the request logs nothing at the configured level', async () => {
    const { app, lines, children } = await appAt('warn');
    const res = await app.inject({ method: 'POST', url: '/quiet', payload: { password: 'hunter2' } });
    expect(res.statusCode).toBe(200);
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
    await app.close();
  });

  it('keeps the request id on every line a request does log, with secrets redacted', async () => {
    const { app, lines } = await appAt('warn');
    await app.inject({
      method: 'POST',
      url: '/warns',
      headers: { 'x-request-id': 'lazy-req-1' },
      payload: { username: 'ann', password: 'hunter2' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: 'lazy-req-1', msg: 'something odd', body: { password: '[REDACTED]' } });
    await app.close();
  });

  it('logs Fastify’s own request lines with the request id when the level asks for them', async () => {
    const { app, lines } = await appAt('info');
    await app.inject({ method: 'POST', url: '/quiet', headers: { 'x-request-id': 'lazy-req-2' }, payload: {} });
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['incoming request', 'lazy-req-2'],
      ['request completed', 'lazy-req-2'],
    ]);
    await app.close();
  });
});
