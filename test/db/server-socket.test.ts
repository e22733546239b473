import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serverAnswers } from '../../server/src/db/server-socket';
import { closedPort } from './tcp';

describe('serverAnswers (an SSLRequest on a connection of its own)', () => {
  it('is true for the local PostgreSQL, over TCP and over its Unix socket', async () => {
    expect(await serverAnswers({ host: '127.0.0.1', port: 5432 }, 2_000)).toBe(true);
    expect(await serverAnswers({ host: '/var/run/postgresql', port: 5432 }, 2_000)).toBe(true);
  });

  it('is false at once for a closed port', async () => {
    const started = performance.now();
    expect(await serverAnswers({ host: '127.0.0.1', port: await closedPort() }, 2_000)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('is false after its timeout for a listener that accepts and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = performance.now();
      expect(await serverAnswers({ host: '127.0.0.1', port: (silent.address() as { port: number }).port }, 300)).toBe(false);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
