// Drives the compose stack across its two instances (issue 24.5): register on A → login on B, refresh on A →
// revoke on B, and the revoked access token refused on A within 1 s. Usage: node scripts/ci-smoke-flow.mjs URL_A URL_B
const [a, b] = process.argv.slice(2);
const API = '/api/v1';

function fail(message) {
  console.error(`smoke: ${message}`);
  process.exit(1);
}

async function call(base, method, path, { body, token } = {}) {
  const res = await fetch(`${base}${API}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function expectStatus(label, status, promise) {
  const res = await promise;
  if (res.status !== status) {
    fail(`${label}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  console.log(`smoke: ${label} → ${status}`);
  return res.body?.data;
}

const username = `smoke_${Date.now()}`;
const password = 'Blue-Kettle-42-smoke';
await expectStatus('register on A', 201, call(a, 'POST', '/auth/register', { body: { username, password } }));
const login = await expectStatus('login on B', 200, call(b, 'POST', '/auth/login', { body: { username, password } }));
const refreshed = await expectStatus(
  'refresh on A',
  200,
  call(a, 'POST', '/auth/refresh', { body: { refresh_token: login.refresh_token } }),
);
await expectStatus('profile on A', 200, call(a, 'GET', '/users/me', { token: refreshed.access_token }));
await expectStatus('revoke on B', 200, call(b, 'POST', '/auth/logout', { body: {}, token: refreshed.access_token }));
const revokedAt = performance.now();
for (;;) {
  const res = await call(a, 'GET', '/users/me', { token: refreshed.access_token });
  const elapsed = Math.round(performance.now() - revokedAt);
  if (res.status === 401) {
    console.log(`smoke: revoked token refused on A after ${elapsed} ms`);
    break;
  }
  if (res.status !== 200 || elapsed > 1000) {
    fail(`revoked token on A: still ${res.status} after ${elapsed} ms (SPEC §10 allows 1 s)`);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
