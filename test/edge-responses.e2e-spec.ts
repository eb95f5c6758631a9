import { API } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('edge responses keep the envelope', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a body over 16 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t
      .http()
      .post(`${API}/auth/login`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'a'.repeat(17 * 1024), password: 'x' }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 413, msg: expect.any(String), error: 'PAYLOAD_TOO_LARGE', data: null });
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const res = await t.http().post(`${API}/auth/login`).set('Content-Type', 'application/json').send('{"username":');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', data: null });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await t.http().get(`${API}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, msg: 'Not found', error: 'NOT_FOUND', data: null });
  });

  it('serves liveness and readiness outside the API prefix', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('serves the OpenAPI document generated from the DTOs', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining([`${API}/auth/login`, `${API}/users/me`]));
  });
});
