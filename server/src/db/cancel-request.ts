import { connectToServer, type ServerAddress } from './server-socket';

/** The CancelRequest code of PostgreSQL's frontend/backend protocol (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server to cancel the query a backend is running, as libpq's PQcancel does: a 16-byte
 * CancelRequest on a connection of its own, which the postmaster reads and closes. No session is
 * opened (no login, no backend), so cancelling never takes a connection beyond the pool's limit.
 * Resolves when the server closed the connection, or after `timeoutMs`; never rejects — the statement
 * still ends at its statement_timeout.
 */
export function sendCancelRequest(
  target: ServerAddress,
  backend: { processId: number; secretKey: number },
  timeoutMs = 3_000,
): Promise<void> {
  return new Promise((resolve) => {
    const socket = connectToServer(target);
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
    packet.writeUInt32BE(backend.processId >>> 0, 8);
    packet.writeUInt32BE(backend.secretKey >>> 0, 12);
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(timeoutMs, done);
    socket.once('connect', () => socket.end(packet));
    socket.once('close', done);
    socket.once('error', done);
  });
}
