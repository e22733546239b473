import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the local PostgreSQL that fails the ways networks do. `close()` is the polite
 * failure: every connection drops, new ones are refused; `open()` again listens on the same port.
 * `blackhole()` fails without saying so: connections stay open but nothing more is forwarded either way
 * (a cable pulled, a VPN or NAT entry gone: no RST ever arrives), and new ones are accepted and never
 * answered; `restore()` forwards again for new connections, while the swallowed ones stay dead.
 */
export class TcpProxy {
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
      server.listen(this.port, '127.0.0.1', () => resolve());
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

/** A port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 1;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A stand-in server that speaks just enough of the PostgreSQL protocol to ask for a cleartext password,
 * record it (`received`, in arrival order) and reject it as a real server does (SQLSTATE 28P01). The
 * local PostgreSQL trusts 127.0.0.1, so it never rejects a password itself.
 */
export async function passwordRejectingServer(user = 'app'): Promise<{ port: number; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let startupSeen = false;
    socket.on('data', (data) => {
      if (!startupSeen) {
        startupSeen = true;
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
        return;
      }
      if (data[0] !== 0x70) return; // PasswordMessage: 'p', length, the password and a NUL
      received.push(data.subarray(5, data.readInt32BE(1)).toString('utf8'));
      const fields = ['SFATAL', 'VFATAL', 'C28P01', `Mpassword authentication failed for user "${user}"`];
      const body = Buffer.concat([...fields.map((f) => Buffer.from(`${f}\0`)), Buffer.from([0])]);
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(body.length + 4, 1);
      socket.end(Buffer.concat([header, body]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    port: address && typeof address === 'object' ? address.port : 0,
    received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
