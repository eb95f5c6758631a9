// autocannon, run from the bench process (never inside the server under test).
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
  const latencyByStatus = {};
  for (const [code, list] of Object.entries(byStatus)) {
    latencyByStatus[code] = {
      count: list.length,
      p50: quantile(list, 0.5),
      p99: quantile(list, 0.99),
      max: Math.max(...list),
    };
  }
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
export async function postJson(agent, target, payload) {
  const { request } = await import('node:http');
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
  const { Agent } = await import('node:http');
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
  const latencyByStatus = {};
  let total = 0;
  for (const [code, list] of Object.entries(byStatus)) {
    total += list.length;
    latencyByStatus[code] = {
      count: list.length,
      p50: quantile(list, 0.5),
      p99: quantile(list, 0.99),
      max: Math.max(...list),
    };
  }
  const ok = latencyByStatus['200']?.count ?? 0;
  return { ok, okRps: ok / seconds, total, errors, latencyByStatus };
}
