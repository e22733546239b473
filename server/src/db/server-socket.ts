import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

/** Where a server listens: a host (or a Unix socket directory, as libpq takes it) and a port. */
export interface ServerAddress {
  host?: string;
  port?: number;
}

/** A raw connection to the server's postmaster, for the protocol's session-less requests. */
export function connectToServer(address: ServerAddress): Socket {
  const host = address.host ?? process.env.PGHOST ?? 'localhost';
  const port = address.port ?? (Number(process.env.PGPORT) || 5432);
  return host.startsWith('/') ? connect(join(host, `.s.PGSQL.${port}`)) : connect(port, host);
}

/** The SSLRequest code of PostgreSQL's frontend/backend protocol (1234 << 16 | 5679). */
const SSL_REQUEST_CODE = 80877103;

/**
 * Whether the server answers at all, on a connection of its own: an SSLRequest, which PostgreSQL
 * answers with one byte ('S' or 'N') before any login. No session is opened and no pool slot taken.
 * False when nothing answers within `timeoutMs` or the connection fails.
 */
export function serverAnswers(address: ServerAddress, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectToServer(address);
    const request = Buffer.alloc(8);
    request.writeInt32BE(8, 0);
    request.writeInt32BE(SSL_REQUEST_CODE, 4);
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => socket.write(request));
    socket.once('data', (reply: Buffer) => done(reply[0] === 0x53 || reply[0] === 0x4e));
    socket.once('close', () => done(false));
    socket.once('error', () => done(false));
  });
}
