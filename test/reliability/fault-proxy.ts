import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the local PostgreSQL that can fail the way networks do without saying so:
 * `blackhole()` keeps every connection open but forwards nothing more either way (a cable pulled, a VPN
 * or NAT entry gone: no RST ever arrives), and new connections are accepted and never answered.
 * `restore()` forwards again, for new connections; the swallowed ones stay dead. `close()` ends it.
 * (test/db/tcp.ts's TcpProxy is the polite failure: sockets closed, connections refused.)
 */
export class BlackholeProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private swallowing = false;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async open(): Promise<number> {
    const server = createServer((client) => {
      this.track(client);
      if (this.swallowing) return; // accepted, never answered
      const upstream = connect(this.targetPort, '127.0.0.1');
      this.track(upstream);
      const forward = (from: Socket, to: Socket) =>
        from.on('data', (chunk: Buffer) => {
          if (!this.swallowing && !(from as Swallowed).swallowed) to.write(chunk);
          else (from as Swallowed).swallowed = (to as Swallowed).swallowed = true;
        });
      forward(client, upstream);
      forward(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    return this.port;
  }

  /** From now on nothing gets through, and nothing says so. */
  blackhole(): void {
    this.swallowing = true;
  }

  /** New connections work again (the ones that lost data stay silent, as they would). */
  restore(): void {
    this.swallowing = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}

type Swallowed = Socket & { swallowed?: boolean };
