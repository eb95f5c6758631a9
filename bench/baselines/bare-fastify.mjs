// Baseline (a): a bare Fastify route that checks nothing, the ceiling for any Fastify app on this machine.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/ping', async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
