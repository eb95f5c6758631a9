// autocannon, run from the bench process (never inside the server under test).
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

/** The q-quantile (0..1) of an array of numbers, by nearest rank. */
export function quantile(values, q) {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => quantile(values, 0.5);

/** Status → its answers' count and latency quantiles, from status → the latencies in ms. */
function summarizeByStatus(byStatus) {
  const latencyByStatus = {};
  for (const [code, list] of Object.entries(byStatus)) {
    latencyByStatus[code] = {
      count: list.length,
      p50: quantile(list, 0.5),
      p99: quantile(list, 0.99),
      // A loop, not Math.min(...list): a flood's list of refusals outgrows the call stack as arguments.
      min: list.reduce((a, b) => Math.min(a, b), Infinity),
      max: list.reduce((a, b) => Math.max(a, b), -Infinity),
    };
  }
  return latencyByStatus;
}

/**
 * One load run. `perStatus: true` records every response's latency by status code
 * (autocannon's own histogram mixes them), which the overload scenario needs for
 * the latency of the 503s alone.
 */
export async function load({
  url,
  connections,
  duration,
  amount,
  method = 'GET',
  path = '/',
  headers = {},
  body,
  requests,
  perStatus = false,
}) {
  const byStatus = {};
  const instance = autocannon({
    url: url + path,
    connections,
    duration,
    amount,
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    requests,
    pipelining: 1,
  });
  if (perStatus) {
    instance.on('response', (_client, status, _bytes, ms) => {
      (byStatus[status] ??= []).push(ms);
    });
  }
  const result = await instance;
  const statuses = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[code] = count;
  }
  const latencyByStatus = summarizeByStatus(byStatus);
  const seconds = result.duration;
  return {
    rps: result.requests.total / seconds,
    ok: (statuses['200'] ?? 0) + (statuses['201'] ?? 0),
    okRps: ((statuses['200'] ?? 0) + (statuses['201'] ?? 0)) / seconds,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    statuses,
    latencyByStatus,
  };
}

/**
 * One JSON `POST` on a keep-alive `agent`; resolves the status and the `Retry-After` seconds (1 when absent), or
 * status 0 when the socket failed.
 */
export function postJson(agent, target, payload) {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, retryAfter: Number(res.headers['retry-after'] ?? 1) }));
      },
    );
    req.on('error', () => resolve({ status: 0, retryAfter: 1 }));
    req.end(payload);
  });
}

/**
 * `connections` clients that each log in over and over, and on a 503 wait the `Retry-After` it
 * carries before trying again, as the SPEC asks clients to (autocannon would retry at once, so a
 * few hundred clients would flood the event loop with retries and time the flood, not the 503).
 * Latency is recorded per status code. With `jitter`, each wait is spread over ±jitter × Retry-After (diagnostics:
 * the bench itself waits exactly Retry-After, the worst case of many clients refused at once retrying together).
 */
export async function politeClients({ url, path, body, connections, duration, jitter = 0 }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url + path);
  const payload = JSON.stringify(body);
  const byStatus = {};
  let errors = 0;
  const send = () => postJson(agent, target, payload);
  const started = performance.now();
  const stopAt = started + duration * 1000;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      const { status, retryAfter } = await send();
      const ms = performance.now() - t0;
      if (status === 0) {
        errors++;
      }
      (byStatus[status] ??= []).push(ms);
      if (status === 503 || status === 0) {
        // `jitter` (0..1) spreads the retry over ±jitter × Retry-After, as clients with backoff jitter would.
        const wait = retryAfter * 1000 * (1 + jitter * (2 * Math.random() - 1));
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(wait, stopAt - performance.now()))));
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const latencyByStatus = summarizeByStatus(byStatus);
  const total = Object.values(byStatus).reduce((sum, list) => sum + list.length, 0);
  const ok = latencyByStatus['200']?.count ?? 0;
  return { ok, okRps: ok / seconds, total, errors, latencyByStatus };
}

/**
 * The opening wave of an overload: `connections` new keep-alive clients each send one JSON `POST` at the same
 * moment and wait for its answer. Answers the latencies per status (from the moment all were started) and the
 * latency of the first refusal to arrive.
 */
export async function openingWave({ url, path, body, connections }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url + path);
  const payload = JSON.stringify(body);
  const started = performance.now();
  const pending = Array.from({ length: connections }, async () => {
    const { status } = await postJson(agent, target, payload);
    return { status, ms: performance.now() - started };
  });
  // Opening the sockets and writing the requests is this event loop's own work, before any answer can arrive.
  const sentMs = performance.now() - started;
  const answers = await Promise.all(pending);
  agent.destroy();
  const byStatus = {};
  for (const { status, ms } of answers) {
    (byStatus[status] ??= []).push(ms);
  }
  const latencyByStatus = summarizeByStatus(byStatus);
  const ok = latencyByStatus['200']?.count ?? 0;
  const seconds = (performance.now() - started) / 1000;
  return { ok, okRps: ok / seconds, rps: answers.length / seconds, total: answers.length, latencyByStatus, sentMs };
}

/**
 * The floor under an overload's opening wave: the same wave of `connections` new connections against bare Fastify
 * at `url` (`POST /ping`, answered 404 at once). The second of two waves, so the first warms the server up.
 */
export async function waveFloor(url, connections) {
  const wave = () => openingWave({ url, path: '/ping', body: {}, connections });
  await wave();
  return Object.values((await wave()).latencyByStatus)[0];
}
