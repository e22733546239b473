import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseStatus } from '../server/src/protocol';
import { createTestDatabase, type TestDatabase } from './db/test-database';
import { LspClient } from './helpers/lsp-client';

/** The workspace's .env, edited while the server runs: DATABASE_URL is read again when the file changes. */
const server = join(resolve(__dirname, '..'), 'dist', 'server.js');
let db: TestDatabase;
let folder: string;

beforeAll(async () => {
  db = await createTestDatabase('CREATE TABLE notes (id int PRIMARY KEY, body text);');
  folder = mkdtempSync(join(tmpdir(), 'pglens-dotenv-'));
}, 60_000);

afterAll(async () => {
  await db?.drop();
  rmSync(folder, { recursive: true, force: true });
});

describe('DATABASE_URL in the workspace .env', () => {
  it('is read again when the client says the file changed: a fixed URL connects without a restart', async () => {
    const env = join(folder, '.env');
    writeFileSync(env, `DATABASE_URL=${db.url.replace(db.name, 'dotenv_missing')}\n`);
    const client = new LspClient(server);
    try {
      await client.initialize({
        rootUri: pathToFileURL(folder).href,
        initializationOptions: { debounceMs: 20, database: { embedded: false } },
        capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      });
      client.open(pathToFileURL(join(folder, 'q.sql')).href, 'SELECT id FROM notes WHERE id = 1;\n');
      const statuses = () => client.notifications.filter((n) => n.method === 'pglens/status').map((n) => n.params as DatabaseStatus);
      const failed = (await client.waitFor('pglens/status', (s) => (s as DatabaseStatus).state === 'failed')) as DatabaseStatus;
      expect(failed.detail).toMatch(/dotenv_missing.*does not exist/);

      const seen = statuses().length;
      writeFileSync(env, `# fixed\nDATABASE_URL=${db.url}\n`);
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(env).href, type: 2 }] });
      const connected = (await client.waitFor(
        'pglens/status',
        (s) => (s as DatabaseStatus).state === 'connected' && statuses().indexOf(s as DatabaseStatus) >= seen,
      )) as DatabaseStatus;
      expect(connected.label).toContain(db.name);
    } finally {
      await client.shutdown().catch(() => undefined);
    }
  }, 60_000);
});
