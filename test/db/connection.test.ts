import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseConnection, describeState, type ConnectionState } from '../../server/src/db/connection';
import { resolveConnectionTarget, type ConnectionTarget, type TargetInput } from '../../server/src/db/connection-target';
import { ExplainRunner } from '../../server/src/db/explain';
import { closedPort, passwordRejectingServer, TcpProxy } from './tcp';
import { createTestDatabase, type TestDatabase } from './test-database';

let testDb: TestDatabase;
let scratch: string;

beforeAll(async () => {
  testDb = await createTestDatabase('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);');
  scratch = await mkdtemp(join(tmpdir(), 'pglens-connection-'));
}, 30_000);

afterAll(async () => {
  await testDb?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function target(input: Partial<TargetInput>): Promise<ConnectionTarget> {
  const resolved = await resolveConnectionTarget({ env: {}, homeDir: scratch, ...input });
  if (resolved.kind !== 'target') throw new Error(`expected a target, got ${resolved.kind}`);
  return resolved.target;
}

/** Records every state a connection passes through. */
function record(connection: DatabaseConnection): ConnectionState[] {
  const states: ConnectionState[] = [];
  connection.onStateChange((state) => states.push(state));
  return states;
}

async function until(connection: DatabaseConnection, status: ConnectionState['status'], timeoutMs = 10_000): Promise<ConnectionState> {
  const deadline = Date.now() + timeoutMs;
  while (connection.state.status !== status) {
    if (Date.now() > deadline) throw new Error(`still ${connection.state.status} after ${timeoutMs} ms, expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return connection.state;
}

const FAST_RETRY = { retry: { initialDelayMs: 50, maxDelayMs: 200 }, heartbeatMs: 100 };

describe('resolving which database to use', () => {
  it('takes the setting, then initializationOptions, then .env, then DATABASE_URL, then PG* variables', async () => {
    const workspace = await mkdtemp(join(scratch, 'ws-'));
    await writeFile(join(workspace, '.env'), '# local\nexport DATABASE_URL="postgresql://envfile@h3:5432/from_dotenv" # comment\nOTHER=1\n');
    const env = { DATABASE_URL: 'postgresql://shell@h4/from_env', PGHOST: 'h5', PGDATABASE: 'from_pg', PGUSER: 'pg' };
    const all = { setting: 'postgresql://s@h1/from_setting', initializationOption: 'postgresql://i@h2/from_init', workspaceRoot: workspace, env };
    expect((await target(all)).source).toBe('setting');
    expect((await target({ ...all, setting: undefined })).source).toBe('initializationOptions');
    const dotenv = await target({ ...all, setting: undefined, initializationOption: '' });
    expect(dotenv).toMatchObject({ source: 'dotenv', description: 'envfile@h3:5432/from_dotenv', origin: 'DATABASE_URL in .env' });
    expect((await target({ env, workspaceRoot: scratch })).description).toBe('shell@h4:5432/from_env');
    const pg = await target({ env: { PGHOST: 'h5', PGDATABASE: 'from_pg', PGUSER: 'pg', PGPORT: '6000' } });
    expect(pg).toMatchObject({ source: 'pg-environment', description: 'pg@h5:6000/from_pg' });
  });

  it('keeps the password out of the description and notes', async () => {
    const resolved = await target({ setting: 'postgresql://app:s3cret%40pass@db.example:6543/shop?sslmode=require' });
    expect(resolved.description).toBe('app@db.example:6543/shop');
    expect(resolved.clientConfig.password).toBe('s3cret@pass');
    expect(resolved.clientConfig.ssl).toEqual({ rejectUnauthorized: false });
    expect(JSON.stringify({ ...resolved, clientConfig: undefined })).not.toContain('s3cret');
  });

  it('says clearly when the URL is unusable, and when nothing is configured', async () => {
    const bad = await resolveConnectionTarget({ setting: 'mysql://x@y/z', env: {} });
    expect(bad).toMatchObject({ kind: 'invalid', source: 'setting' });
    expect(bad.kind === 'invalid' && bad.message).toMatch(/^pglens\.databaseUrl is not a usable PostgreSQL URL: it must start with postgresql:\/\//);
    const port = await resolveConnectionTarget({ setting: 'postgresql://x@y:99999/z', settingName: '--db', env: {} });
    expect(port.kind === 'invalid' && port.message).toMatch(/^--db is not a usable PostgreSQL URL: .*port/);
    const none = await resolveConnectionTarget({ env: {}, workspaceRoot: scratch });
    expect(none.kind).toBe('none');
  });

  it('reads the password from ~/.pgpass, but not from one others can read', async () => {
    const home = await mkdtemp(join(scratch, 'home-'));
    const pgpass = join(home, '.pgpass');
    await writeFile(pgpass, '# host:port:db:user:password\nother:5432:*:*:nope\n127.0.0.1:5432:shop:app:from\\:pgpass\n');
    await chmod(pgpass, 0o600);
    const env = { PGHOST: '127.0.0.1', PGUSER: 'app', PGDATABASE: 'shop' };
    expect((await target({ env, homeDir: home })).clientConfig.password).toBe('from:pgpass');
    expect((await target({ env: { ...env, PGPASSWORD: 'explicit' }, homeDir: home })).clientConfig.password).toBe('explicit');
    expect((await target({ setting: 'postgresql://app@127.0.0.1/shop', env: {}, homeDir: home })).clientConfig.password).toBe('from:pgpass');
    await chmod(pgpass, 0o644);
    const open = await target({ env, homeDir: home });
    expect(open.clientConfig.password).toBeUndefined();
    expect(open.notes).toEqual([expect.stringMatching(/Ignored .*\.pgpass because others can read it; run chmod 600/)]);
  });
});

describe('connection state', () => {
  it('connects and reports database@host and the server version', async () => {
    const connection = DatabaseConnection.postgres(await target({ setting: testDb.url }), FAST_RETRY);
    const states = record(connection);
    try {
      const state = await connection.connect();
      expect(state).toMatchObject({ status: 'connected', label: `${testDb.name}@127.0.0.1`, database: testDb.name });
      expect(state.status === 'connected' && state.serverVersion).toMatch(/^1[3-9]\./);
      expect(states.map((s) => s.status)).toEqual(['connecting', 'connected']);
      expect(connection.database).toBeDefined();
    } finally {
      await connection.dispose();
    }
  });

  it('reports a closed port as a failed state with a clear reason, and keeps retrying', async () => {
    const port = await closedPort();
    const connection = DatabaseConnection.postgres(await target({ setting: `postgresql://postgres@127.0.0.1:${port}/test` }), FAST_RETRY);
    try {
      const state = await connection.connect();
      expect(state).toMatchObject({ status: 'failed', retryInMs: 50 });
      expect(state.status === 'failed' && state.reason).toBe(
        `Nothing is listening on 127.0.0.1:${port} (connection refused); start PostgreSQL or fix the host and port.`,
      );
      expect(connection.database).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(connection.state.status === 'failed' && connection.state.attempt).toBeGreaterThan(1);
    } finally {
      await connection.dispose();
    }
    expect(connection.state.status).toBe('disconnected');
  });

  it('goes to failed when the database goes away and reconnects when it is back', async () => {
    const proxy = new TcpProxy(5432);
    const port = await proxy.open();
    const connection = DatabaseConnection.postgres(await target({ setting: `postgresql://postgres@127.0.0.1:${port}/${testDb.name}` }), FAST_RETRY);
    const states = record(connection);
    try {
      expect((await connection.connect()).status).toBe('connected');
      const runner = new ExplainRunner(connection.database!);
      expect((await runner.explain('SELECT * FROM t')).ok).toBe(true);

      await proxy.close();
      const failed = await until(connection, 'failed');
      expect(failed.status === 'failed' && failed.reason).toMatch(/lost|refused|shut down/);
      const down = await runner.explain('SELECT * FROM t WHERE id = 1');
      expect(down).toMatchObject({ ok: false, reason: 'connection' });

      await proxy.open();
      await until(connection, 'connected');
      expect((await new ExplainRunner(connection.database!).explain('SELECT * FROM t WHERE id = 2')).ok).toBe(true);
      const statuses = states.map((s) => s.status);
      expect(statuses.slice(0, 2)).toEqual(['connecting', 'connected']);
      expect(statuses).toContain('failed');
      expect(statuses.at(-1)).toBe('connected');
    } finally {
      await connection.dispose();
      await proxy.close();
    }
  }, 20_000);

  it('names a database that does not exist', async () => {
    const connection = DatabaseConnection.postgres(await target({ setting: 'postgresql://postgres@127.0.0.1:5432/pglens_no_such_db' }), FAST_RETRY);
    try {
      const state = await connection.connect();
      expect(state.status === 'failed' && state.reason).toBe(
        'Database "pglens_no_such_db" does not exist on 127.0.0.1:5432; create it (createdb pglens_no_such_db) or fix the database name.',
      );
    } finally {
      await connection.dispose();
    }
  });

  // The local server trusts 127.0.0.1 and accepts any password, so a missing role stands in for bad
  // credentials against the real server; a wrong password is rejected by a protocol stand-in below.
  it('names a role that does not exist', async () => {
    const connection = DatabaseConnection.postgres(await target({ setting: 'postgresql://pglens_no_such_role:whatever@127.0.0.1:5432/test' }), FAST_RETRY);
    try {
      const state = await connection.connect();
      expect(state.status === 'failed' && state.reason).toBe(
        'Role "pglens_no_such_role" does not exist on 127.0.0.1:5432; create it or connect as another user.',
      );
    } finally {
      await connection.dispose();
    }
  });

  it('reports a wrong password in one line, without the password, in state and log', async () => {
    const server = await passwordRejectingServer();
    const log: string[] = [];
    const secret = 'hunter2-very-secret';
    const connection = DatabaseConnection.postgres(await target({ setting: `postgresql://app:${secret}@127.0.0.1:${server.port}/shop` }), {
      ...FAST_RETRY,
      log: (line) => log.push(line),
    });
    try {
      const state = await connection.connect();
      expect(state.status === 'failed' && state.reason).toBe(
        `Wrong password for user "app" on 127.0.0.1:${server.port}; fix the password in the database URL, PGPASSWORD or ~/.pgpass.`,
      );
      expect(describeState(state)).toMatch(/ Retrying in a moment\.$/);
      expect(JSON.stringify(state)).not.toContain(secret);
      expect(log.length).toBeGreaterThan(0);
      expect(log.join('\n')).not.toContain(secret);
    } finally {
      await connection.dispose();
      await server.close();
    }
  });
});
