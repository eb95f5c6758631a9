import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A loopback TCP relay that a test can cut and restore, or slow down, to degrade a database without stopping it. */
export interface TcpProxy {
  port: number;
  /** Destroys every relayed connection and stops listening: new connections are refused. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Holds every answer from the server for `ms` before passing it on (0: none); order is always kept. */
  setLatency(ms: number): void;
  /** Holds every answer from the server until `resume()`, as a database that stopped answering would. */
  stall(): void;
  /** Passes the held answers on, in order, and relays again. */
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let latencyMs = 0;
  /** While stalled, the answers waiting for `resume()`; undefined when relaying. */
  let held: (() => void)[] | undefined;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  /** Relays server → client, each chunk `latencyMs` after it arrived but never before the chunk ahead of it. */
  const relayAnswers = (upstream: Socket, client: Socket) => {
    let lastRelease = 0;
    upstream.on('data', (chunk: Buffer) => {
      const release = Math.max(Date.now() + latencyMs, lastRelease);
      lastRelease = release;
      const send = () => {
        if (!client.destroyed) {
          client.write(chunk);
        }
      };
      if (held) {
        held.push(send);
      } else if (release <= Date.now()) {
        send();
      } else {
        setTimeout(send, release - Date.now());
      }
    });
  };
  const newServer = () =>
    createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      track(client);
      track(upstream);
      client.pipe(upstream);
      relayAnswers(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  let server = newServer();
  const port = await listen(server, 0);
  let listening = true;

  const cut = async () => {
    if (listening) {
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) {
        socket.destroy();
      }
      await closed;
    }
  };
  return {
    port,
    cut,
    async restore() {
      server = newServer();
      await listen(server, port);
      listening = true;
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    stall() {
      held ??= [];
    },
    resume() {
      const sends = held ?? [];
      held = undefined;
      sends.forEach((send) => send());
    },
    close: cut,
  };
}
