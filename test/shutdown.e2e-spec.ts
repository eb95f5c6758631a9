import { connect, type AddressInfo, type Socket } from 'node:net';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Everything a socket receives until the server hangs up. */
function received(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
  });
}

/** SPEC §3/§10: even the answers of a closing server are in the envelope. */
describe('a request that reaches the server while it closes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.db.drop();
  });

  it('is refused 503 SERVICE_UNAVAILABLE in the envelope, in its language, with Retry-After', async () => {
    await t.app.listen(0, '127.0.0.1');
    const server = t.app.getHttpServer();
    const { port } = server.address() as AddressInfo;
    // Half a request: the socket is busy, so close() waits for it instead of dropping it as idle.
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const answer = received(socket);
    socket.write('GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\n');
    const closed = t.app.close();
    while (server.listening) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket.write('Accept-Language: zh-CN\r\n\r\n');
    const [head, body] = (await answer).split('\r\n\r\n');
    await closed;
    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head).toMatch(/^retry-after: [1-9]\d*$/im);
    expect(head).toMatch(/^cache-control: no-store$/im);
    const envelope = JSON.parse(body) as { msg: string };
    expect(envelope).toEqual({ code: 503, msg: expect.any(String), error: 'SERVICE_UNAVAILABLE', data: null });
    expect(envelope.msg).toMatch(/[\u4e00-\u9fff]/);
  });
});
