import { connect, type AddressInfo } from 'node:net';
import { API } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

/** Sends bytes supertest would refuse to (or fix) and reads the answer until the server closes or answers. */
function sendRaw(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const finish = () => {
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const raw = rest.join('\r\n\r\n');
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: raw ? JSON.parse(raw) : null, text });
    };
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const [head, body = ''] = text.split('\r\n\r\n');
      const length = /content-length: *(\d+)/i.exec(head)?.[1];
      if (length !== undefined && Buffer.byteLength(body, 'latin1') >= Number(length)) {
        socket.destroy();
        finish();
      }
    });
    socket.on('close', finish);
    // The server may hang up while the request is still being written (that is the point): not a failure.
    socket.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e),
    );
    socket.write(request);
  });
}

const MARKER = 'EchoMarker';

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

  describe('errors raised before the pipeline (SPEC §10)', () => {
    let port: number;

    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      port = (t.app.getHttpServer().address() as AddressInfo).port;
    });

    function expectEnvelope(res: RawAnswer, status: number, error: string): void {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ code: status, msg: expect.any(String), error, data: null });
      expect(res.text).not.toContain(MARKER);
    }

    it('answers a request line longer than the header limit with 414 URI_TOO_LONG', async () => {
      const path = `${API}/${MARKER}${'a'.repeat(20_000)}`;
      expectEnvelope(await sendRaw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`), 414, 'URI_TOO_LONG');
    });

    it('answers a path parameter over the router limit with 414 URI_TOO_LONG', async () => {
      const res = await t.http().delete(`${API}/auth/sessions/${MARKER}${'b'.repeat(200)}`);
      expect(res.status).toBe(414);
      expect(res.body).toEqual({ code: 414, msg: expect.any(String), error: 'URI_TOO_LONG', data: null });
      expect(res.text).not.toContain(MARKER);
    });

    it('answers a URL that cannot be decoded with 400 VALIDATION_FAILED', async () => {
      const res = await sendRaw(port, `GET ${API}/${MARKER}%zz HTTP/1.1\r\nHost: x\r\n\r\n`);
      expectEnvelope(res, 400, 'VALIDATION_FAILED');
    });

    it('answers headers over the limit with 431 HEADERS_TOO_LARGE', async () => {
      const res = await sendRaw(
        port,
        `GET ${API}/users/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'c'.repeat(20_000)}\r\n\r\n`,
      );
      expectEnvelope(res, 431, 'HEADERS_TOO_LARGE');
    });

    it('answers a malformed header, a bad Content-Length and a non-HTTP line with 400 VALIDATION_FAILED', async () => {
      const requests = [
        `GET ${API}/${MARKER} HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n`,
        `POST ${API}/${MARKER} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`,
        `${MARKER}\r\n\r\n`,
      ];
      for (const request of requests) {
        expectEnvelope(await sendRaw(port, request), 400, 'VALIDATION_FAILED');
      }
    });
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
