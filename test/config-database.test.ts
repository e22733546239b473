import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, resolveSettings } from '../server/src/config';
import { databaseStatus } from '../server/src/lsp/database-status';

describe('database settings', () => {
  it('default to plans on the sandbox, safe writes, a 5 s timeout and three connections', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      seqScan: { minRows: 10_000 },
      explain: { analyzeWrites: 'never', statementTimeoutMs: 5_000 },
      database: { embedded: true, maxConnections: 3 },
    });
    expect(DEFAULT_SETTINGS).not.toHaveProperty('databaseUrl');
  });

  it('read nested values, and name each bad one in its problem', () => {
    const { settings, problems } = resolveSettings({
      databaseUrl: ' postgresql://app@db/shop ',
      seqScan: { minRows: 0 },
      explain: { analyzeWrites: 'always', statementTimeoutMs: -1 },
      database: { embedded: 'yes', maxConnections: 2 },
    });
    expect(settings).toMatchObject({ databaseUrl: 'postgresql://app@db/shop', seqScan: { minRows: 0 }, database: { embedded: true, maxConnections: 2 } });
    expect(settings.explain).toEqual(DEFAULT_SETTINGS.explain);
    expect(problems).toEqual([
      { setting: 'pglens.explain.analyzeWrites', message: 'must be "never" or "rollback" (got "always")' },
      { setting: 'pglens.explain.statementTimeoutMs', message: 'must be a positive whole number (got -1)' },
      { setting: 'pglens.database.embedded', message: 'must be true or false (got "yes")' },
    ]);
    expect(resolveSettings({ databaseUrl: 5, explain: 'fast' }).problems.map((p) => p.setting)).toEqual(['pglens.databaseUrl', 'pglens.explain']);
  });
});

describe('pglens/status', () => {
  const server = { kind: 'server' as const, database: 'shop', host: 'localhost', origin: 'DATABASE_URL in .env', description: 'app@localhost:5432/shop' };

  it('labels a server database@host, the sandbox "sandbox", a lost one "disconnected", and says why', () => {
    expect(databaseStatus(server, { status: 'connecting', target: server.description, attempt: 1 })).toEqual({
      state: 'connecting',
      label: 'shop@localhost',
      detail: 'Connecting to app@localhost:5432/shop (DATABASE_URL in .env)…',
    });
    const connected = databaseStatus(server, {
      status: 'connected', target: server.description, label: 'shop@localhost', database: 'shop', host: 'localhost', serverVersion: '15.4', serverVersionNum: 150004,
    });
    expect(connected).toMatchObject({ state: 'connected', label: 'shop@localhost', detail: 'PostgreSQL 15.4 at app@localhost:5432/shop, from DATABASE_URL in .env. Queries are planned read-only.' });
    const failed = databaseStatus(server, { status: 'failed', target: server.description, reason: 'Nothing is listening on localhost:5432 (connection refused); start PostgreSQL or fix the host and port.', attempt: 2, retryInMs: 2000 });
    expect(failed).toEqual({ state: 'failed', label: 'disconnected', detail: 'Nothing is listening on localhost:5432 (connection refused); start PostgreSQL or fix the host and port. Retrying in 2 s.' });
    const sandbox = databaseStatus(
      { kind: 'sandbox', description: 'sandbox (PGlite, PostgreSQL 18) built from 4 migrations, 855,000 synthetic rows' },
      { status: 'embedded', label: 'embedded PostgreSQL 18.1', serverVersion: '18.1', serverVersionNum: 180001 },
    );
    expect(sandbox).toEqual({
      state: 'embedded',
      label: 'sandbox',
      detail: 'Plans come from the sandbox (PGlite, PostgreSQL 18) built from 4 migrations, 855,000 synthetic rows: synthetic data, not a real database.',
    });
    expect(databaseStatus({ kind: 'none', why: 'No database is configured.' }, { status: 'disconnected' })).toEqual({ state: 'none', label: 'no database', detail: 'No database is configured.' });
  });
});
