import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseStatus } from '../../server/src/protocol';
import { closedPort, TcpProxy } from '../db/tcp';
import { createTestDatabase, type TestDatabase } from '../db/test-database';
import { LspClient, type PublishDiagnostics } from '../helpers/lsp-client';

/**
 * Faults injected into the real language server (dist/server.js over stdio) and the CLI: the database
 * killed mid-EXPLAIN ANALYZE (pg_terminate_backend) and again and again during edits, a network drop (a
 * closed port; the TCP proxy cut while a hover waits on the database, then reopened), a network black
 * hole, the language server killed while a hover is pending, PGlite that cannot
 * start (pglite.wasm missing or corrupt in a copied install), a migration folder with broken SQL, and
 * the CLI on a closed port or with its backend terminated. After each: a clear status or notice, static
 * diagnostics and hovers still served, the process alive, and no "unhandled promise rejection" /
 * "uncaught exception" in its stderr or log.
 */
const repo = resolve(__dirname, '../..');
const SERVER = join(repo, 'dist', 'server.js');
const CLI = join(repo, 'dist', 'cli.js');

let db: TestDatabase;
let workspace: string;
const clients: LspClient[] = [];
const folders: string[] = [];
const extraClients: Client[] = [];

interface Hover {
  contents: { kind: string; value: string };
}

beforeAll(async () => {
  db = await createTestDatabase(`
    CREATE TABLE items (id int PRIMARY KEY, kind int NOT NULL, note text);
    INSERT INTO items SELECT g, g % 10, 'note ' || g FROM generate_series(1, 20000) g;
    ANALYZE items;
  `);
  workspace = folder('pglens-faults-');
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.kill();
  for (const client of extraClients) await client.end().catch(() => undefined);
  await db?.drop();
  for (const path of folders) rmSync(path, { recursive: true, force: true });
});

function folder(prefix: string, files: Record<string, string> = {}): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  folders.push(path);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(path, name)), { recursive: true });
    writeFileSync(join(path, name), text);
  }
  return path;
}

const uriOf = (root: string, name: string) => pathToFileURL(join(root, name)).href;

async function start(root: string, initializationOptions: Record<string, unknown>, serverPath = SERVER): Promise<LspClient> {
  const client = new LspClient(serverPath);
  clients.push(client);
  try {
    await client.initialize({ rootUri: pathToFileURL(root).href, initializationOptions: { debounceMs: 20, ...initializationOptions } });
  } catch (error) {
    throw new Error(`${(error as Error).message}; its stderr:\n${client.stderr}`);
  }
  return client;
}

const statuses = (client: LspClient) => client.notifications.filter((n) => n.method === 'pglens/status').map((n) => n.params as DatabaseStatus);
const logLines = (client: LspClient) =>
  client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
const shownMessages = (client: LspClient) =>
  client.notifications.filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { message: string }).message);

/** The next `pglens/status` in `state` after the `after`-th status. */
function nextStatus(client: LspClient, state: DatabaseStatus['state'], after: number, timeoutMs = 20_000): Promise<DatabaseStatus> {
  return client.waitFor(
    'pglens/status',
    (s) => (s as DatabaseStatus).state === state && statuses(client).indexOf(s as DatabaseStatus) >= after,
    timeoutMs,
  ) as Promise<DatabaseStatus>;
}

function hover(client: LspClient, uri: string, line: number, character: number, timeoutMs = 10_000): Promise<Hover | null> {
  return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } }, timeoutMs);
}

/** The process is up and nothing escaped a handler: neither its stderr nor its log says so. */
function expectAliveAndClean(client: LspClient): void {
  expect(client.alive).toBe(true);
  const everything = [client.stderr, ...logLines(client)].join('\n');
  expect(everything).not.toMatch(/unhandled promise rejection|uncaught exception/i);
}

let freshDocuments = 0;
/**
 * Static analysis still serves: a freshly opened document gets select-star, an edit to it gets its
 * diagnostics again, and a hover on it answers with the finding. Then the process checks.
 */
async function expectStaticAnalysis(client: LspClient, root: string): Promise<void> {
  const uri = uriOf(root, `fresh-${++freshDocuments}.sql`);
  client.open(uri, 'SELECT * FROM items;\n');
  expect((await client.diagnostics(uri, 1, 10_000)).map((d) => d.code)).toContain('select-star');
  client.change(uri, 'SELECT * FROM items WHERE id = 1;\n', 2);
  expect((await client.diagnostics(uri, 2, 10_000)).map((d) => d.code)).toContain('select-star');
  const answer = await hover(client, uri, 0, 2);
  expect(answer?.contents.value).toMatch(/select-star/);
  expectAliveAndClean(client);
}

/** Polls `probe` until it returns something. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * pglens's backend running a statement whose text contains `marker`: an EXPLAIN ANALYZE of it
 * (`analyze`), or an EXPLAIN waiting on a lock (`lock`).
 */
function pglensBackend(marker: string, what: 'analyze' | 'lock'): Promise<number> {
  return until(`a pglens backend running ${marker}`, async () => {
    const { rows } = await db.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = $1 AND application_name = 'pglens' AND state = 'active' AND query LIKE $2
          AND ($3 = 'analyze' AND query LIKE 'EXPLAIN (ANALYZE%' OR $3 = 'lock' AND wait_event_type = 'Lock')`,
      [db.name, `%${marker}%`, what],
    );
    return rows[0]?.pid;
  });
}

async function terminate(pid: number): Promise<void> {
  const { rows } = await db.client.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
  expect(rows[0].ok).toBe(true);
}

/** A second session that holds ACCESS EXCLUSIVE on `items`, so pglens's EXPLAIN waits on the lock. */
async function lockItems(): Promise<{ release(): Promise<void> }> {
  const locker = new Client(db.config);
  extraClients.push(locker);
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await locker.query('ROLLBACK');
      await locker.end();
    },
  };
}

/** Tracks a promise's outcome without awaiting it. */
function track<T>(promise: Promise<T>): { settled: boolean; at?: number; value?: T; error?: Error; done: Promise<void> } {
  const state: { settled: boolean; at?: number; value?: T; error?: Error; done: Promise<void> } = { settled: false, done: Promise.resolve() };
  state.done = promise.then(
    (value) => Object.assign(state, { settled: true, at: Date.now(), value }),
    (error: Error) => Object.assign(state, { settled: true, at: Date.now(), error }),
  ).then(() => undefined);
  return state;
}

describe('the database killed mid-EXPLAIN ANALYZE (pg_terminate_backend)', () => {
  let client: LspClient;
  const uri = () => uriOf(workspace, 'slow.sql');
  // pg_sleep is the slow statement: slow for the database, free for the machine's two cores.
  const ROUNDS = 6;
  const SLOW = 'SELECT pg_sleep(20) AS fault_slow_one;\nSELECT pg_sleep(20) AS fault_slow_two;\n';

  beforeAll(async () => {
    client = await start(workspace, { databaseUrl: db.url, database: { embedded: false }, explain: { statementTimeoutMs: 30_000 } });
    client.open(uri(), SLOW);
    await client.diagnostics(uri(), 1);
    await nextStatus(client, 'connected', 0);
  });

  it('pglens.server.explain (ANALYZE) answers with an error naming the lost connection, and reconnects', async () => {
    const before = statuses(client).length;
    const explain = track(
      client.request('workspace/executeCommand', { command: 'pglens.server.explain', arguments: [uri(), { line: 0, character: 3 }, true] }, 15_000),
    );
    const pid = await pglensBackend('fault_slow_one', 'analyze');
    expect(explain.settled).toBe(false);
    const killedAt = Date.now();
    await terminate(pid);
    await explain.done;
    expect(explain.error?.message).toMatch(/^-32803: The database connection failed \(terminating connection due to administrator command\); pglens will reconnect\.$/);
    expect(explain.at! - killedAt).toBeLessThan(3_000);
    const failed = await nextStatus(client, 'failed', before);
    expect(failed).toMatchObject({ label: 'disconnected', detail: expect.stringMatching(/^The server at 127\.0\.0\.1:5432 shut down the connection; pglens will reconnect when it is back\./) });
    await nextStatus(client, 'connected', before, 15_000);
    // Plans are back: the other statement explains (plain EXPLAIN, so nothing sleeps).
    const markdown = await client.request<string>('workspace/executeCommand', { command: 'pglens.server.explain', arguments: [uri(), { line: 1, character: 3 }, false] });
    expect(markdown).toMatch(/^### EXPLAIN · line 2/);
    await expectStaticAnalysis(client, workspace);
  }, 30_000);

  it('pglens/plan (ANALYZE) answers with an error too, and the server plans again afterwards', async () => {
    if (statuses(client).at(-1)?.state !== 'connected') await nextStatus(client, 'connected', statuses(client).length, 15_000);
    const before = statuses(client).length;
    const plan = track(client.request('pglens/plan', { uri: uri(), position: { line: 1, character: 3 }, analyze: true }, 15_000));
    await terminate(await pglensBackend('fault_slow_two', 'analyze'));
    await plan.done;
    expect(plan.error?.message).toMatch(/^-32803: The database connection failed \(terminating connection due to administrator command\)/);
    await nextStatus(client, 'failed', before);
    await nextStatus(client, 'connected', before, 15_000);
    const again = await client.request<{ planJson: unknown }>('pglens/plan', { uri: uri(), position: { line: 1, character: 3 }, analyze: false });
    expect(again.planJson).toBeTruthy();
    await expectStaticAnalysis(client, workspace);
  }, 30_000);

  it('every pglens backend terminated again and again while a document is edited: plans come back for the last version', async () => {
    const churn = uriOf(workspace, 'churn.sql');
    let terminated = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const text = `SELECT id FROM items WHERE kind = ${round};\n`;
      if (round === 1) client.open(churn, text);
      else client.change(churn, text, round);
      // Each round kills pglens's backends whatever they are doing then (reading the catalog, a
      // background EXPLAIN, idle in the pool), once it has reconnected from the round before.
      await new Promise((r) => setTimeout(r, 15 * round));
      terminated += await until('pglens backends to terminate', async () => {
        const { rows } = await db.client.query<{ n: number }>(
          "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pglens'",
          [db.name],
        );
        return rows[0].n > 0 ? rows[0].n : undefined;
      }, 15_000);
    }
    expect(terminated).toBeGreaterThanOrEqual(ROUNDS);
    const last = await client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => (p as PublishDiagnostics).uri === churn && (p as PublishDiagnostics).version === ROUNDS && (p as PublishDiagnostics).diagnostics.some((d) => d.code === 'seq-scan'),
      20_000,
    );
    expect(last).toBeTruthy();
    await expectStaticAnalysis(client, workspace);
  }, 40_000);
});

describe('a network drop: the database URL points at a closed port', () => {
  it('says nothing listens there (status and one message), and static analysis, hover and commands still answer', async () => {
    const port = await closedPort();
    const client = await start(workspace, { databaseUrl: `postgresql://postgres@127.0.0.1:${port}/x`, database: { embedded: false } });
    const uri = uriOf(workspace, 'closed-port.sql');
    client.open(uri, 'SELECT * FROM items WHERE kind = 3;\n');
    expect((await client.diagnostics(uri, 1)).map((d) => d.code)).toContain('select-star');
    const failed = await nextStatus(client, 'failed', 0);
    const reason = `Nothing is listening on 127.0.0.1:${port} (connection refused); start PostgreSQL or fix the host and port.`;
    expect(failed).toMatchObject({ label: 'disconnected', detail: expect.stringContaining(reason) });
    const answer = await hover(client, uri, 0, 2);
    expect(answer?.contents.value).toMatch(/select-star/);
    expect(answer?.contents.value).toContain('_No plan yet: Nothing is listening on');
    await expect(
      client.request('workspace/executeCommand', { command: 'pglens.server.explain', arguments: [uri, { line: 0, character: 2 }, false] }, 10_000),
    ).rejects.toThrow(/there is no database to plan on\. Nothing is listening on 127\.0\.0\.1:\d+/);
    // The first retry (after 1 s) fails the same way: still one message, not one per attempt.
    await nextStatus(client, 'failed', statuses(client).length, 10_000);
    expect(shownMessages(client).filter((m) => m.includes('Nothing is listening'))).toEqual([
      `pglens cannot use the database: ${reason} Static checks go on; plans appear once it connects.`,
    ]);
    await expectStaticAnalysis(client, workspace);
  }, 30_000);
});

describe('the database server restarting while a hover waits on it (TCP proxy closed mid-EXPLAIN)', () => {
  it('answers the pending hover instead of hanging, reports the drop, and plans again once the server is back', async () => {
    const proxy = new TcpProxy(5432);
    await proxy.open();
    try {
      const client = await start(workspace, { databaseUrl: `postgresql://postgres@127.0.0.1:${proxy.port}/${db.name}`, database: { embedded: false } });
      const warm = uriOf(workspace, 'warm.sql');
      client.open(warm, 'SELECT 1 AS warm;\n');
      await client.diagnostics(warm, 1);
      await nextStatus(client, 'connected', 0);

      const lock = await lockItems();
      const uri = uriOf(workspace, 'pending-hover.sql');
      client.open(uri, 'SELECT note AS fault_pending FROM items WHERE id = 7;\n');
      await client.diagnostics(uri, 1);
      const before = statuses(client).length;
      const pending = track(hover(client, uri, 0, 2, 15_000));
      await pglensBackend('fault_pending', 'lock'); // the EXPLAIN waits on the lock (lock_timeout 1 s)
      expect(pending.settled).toBe(false);
      const droppedAt = Date.now();
      await proxy.close();
      await pending.done;
      expect(pending.error).toBeUndefined();
      expect(pending.at! - droppedAt).toBeLessThan(3_000);
      // The hover still says what static analysis knows; the plan part says why there is none.
      expect(pending.value?.contents.value).toMatch(/^\*\*SELECT\*\*/);
      expect(pending.value?.contents.value).toContain('**Query plan**: The database connection failed (Connection terminated unexpectedly); pglens will reconnect.');
      const failed = await nextStatus(client, 'failed', before);
      expect(failed.label).toBe('disconnected');
      expect(failed.detail).toMatch(new RegExp(`^(The connection to 127\\.0\\.0\\.1:${proxy.port} was lost; pglens will reconnect\\.|Nothing is listening on 127\\.0\\.0\\.1:${proxy.port} )`));
      await expectStaticAnalysis(client, workspace);
      await lock.release();

      const failures = statuses(client).length;
      await proxy.open();
      await nextStatus(client, 'connected', failures, 30_000);
      const back = await hover(client, uri, 0, 2);
      expect(back?.contents.value).toContain('**Query plan**');
      expect(back?.contents.value).toMatch(/Index Scan using items_pkey on items/);
      expectAliveAndClean(client);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

describe('a network black hole: the connection stays open and nothing comes back (no RST)', () => {
  // pg has no client-side deadline: without one, a hover would wait until TCP gives up (minutes;
  // forever behind a frozen host whose kernel still ACKs), the stuck sessions would hold their pool
  // slots and the status would stay "connected". A query unanswered a second past its statement
  // timeout makes the server probed on a connection of its own (db/answer-watch.ts); no answer there
  // either closes every lent connection and fails the database, which then reconnects as usual.
  it('answers a hover whose EXPLAIN the network swallowed, says the server went silent, and plans again once it answers', async () => {
    const proxy = new TcpProxy(5432);
    await proxy.open();
    try {
      const client = await start(workspace, {
        databaseUrl: `postgresql://postgres@127.0.0.1:${proxy.port}/${db.name}`,
        database: { embedded: false },
        explain: { statementTimeoutMs: 2_000 },
      });
      const uri = uriOf(workspace, 'blackhole.sql');
      client.open(uri, 'SELECT note FROM items WHERE kind = 1;\n');
      await client.waitFor('textDocument/publishDiagnostics', (p) => (p as PublishDiagnostics).uri === uri && (p as PublishDiagnostics).diagnostics.some((d) => d.code === 'seq-scan'));
      proxy.blackhole();
      client.change(uri, 'SELECT note AS fault_blackhole FROM items WHERE kind = 2;\n', 2);
      await client.diagnostics(uri, 2);
      const before = statuses(client).length;
      // 2 s statement timeout + 1 s lock timeout + 5 s to notice: the hover must have answered by then.
      const answer = await hover(client, uri, 0, 2, 8_000);
      expect(answer?.contents.value).toMatch(/\*\*Query plan\*\*: /);
      const failed = await nextStatus(client, 'failed', before, 10_000);
      expect(failed.detail).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:${proxy.port} stopped answering \\(a query got no answer for \\d+ s, nor did a new connection\\): a network dropping packets or a frozen host; pglens will reconnect when it answers\\.`),
      );

      proxy.restore();
      await nextStatus(client, 'connected', statuses(client).length, 30_000);
      const back = await hover(client, uri, 0, 2);
      expect(back?.contents.value).toMatch(/Seq Scan on items/);
      expectAliveAndClean(client);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

describe('the language server killed by the client while a hover is pending', () => {
  it('fails the hover at once (no hang), leaves no backend behind, and a new server works', async () => {
    const first = await start(workspace, { databaseUrl: db.url, database: { embedded: false } });
    const warm = uriOf(workspace, 'warm.sql');
    first.open(warm, 'SELECT 1 AS warm;\n');
    await first.diagnostics(warm, 1);
    await nextStatus(first, 'connected', 0);
    const lock = await lockItems();
    let released = false;
    try {
      const uri = uriOf(workspace, 'killed-hover.sql');
      first.open(uri, 'SELECT note AS fault_killed FROM items WHERE id = 9;\n');
      await first.diagnostics(uri, 1);
      const pending = track(hover(first, uri, 0, 2, 15_000));
      await pglensBackend('fault_killed', 'lock');
      expect(pending.settled).toBe(false);
      const killedAt = Date.now();
      first.kill();
      await pending.done;
      expect(pending.error?.message).toMatch(/server exited/);
      expect(pending.at! - killedAt).toBeLessThan(2_000);
      expect(first.alive).toBe(false);
      expect(first.stderr).not.toMatch(/unhandled promise rejection|uncaught exception/i);
      await lock.release();
      released = true;
      // Its sessions end with the process (the one waiting on the lock at its lock_timeout).
      await until('the killed server\'s backends to go', async () => {
        const { rows } = await db.client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pglens'",
          [db.name],
        );
        return rows[0].n === 0 ? true : undefined;
      }, 10_000, 100);

      const second = await start(workspace, { databaseUrl: db.url, database: { embedded: false } });
      second.open(uri, 'SELECT note AS fault_killed FROM items WHERE id = 9;\n');
      await second.diagnostics(uri, 1);
      await nextStatus(second, 'connected', 0);
      const answer = await hover(second, uri, 0, 2);
      expect(answer?.contents.value).toMatch(/Index Scan using items_pkey on items/);
      await expectStaticAnalysis(second, workspace);
    } finally {
      if (!released) await lock.release();
    }
  }, 40_000);
});

/**
 * A pglens install whose PGlite cannot start: the bundles copied to a folder where PGlite's assets are
 * missing or corrupt (a broken or partial install), a real failure rather than a test switch.
 */
function brokenInstall(pgliteWasm: 'missing' | 'corrupt'): string {
  const dir = folder(`pglens-broken-install-${pgliteWasm}-`);
  for (const file of ['server.js', 'sandbox-worker.js', 'libpg-query.wasm', 'initdb.wasm', 'pglite.data']) {
    copyFileSync(join(repo, 'dist', file), join(dir, file));
  }
  if (pgliteWasm === 'corrupt') writeFileSync(join(dir, 'pglite.wasm'), readFileSync(join(repo, 'dist', 'pglite.wasm')).subarray(4096, 8192));
  return join(dir, 'server.js');
}

describe('PGlite failing to start (the embedded sandbox)', () => {
  for (const damage of ['missing', 'corrupt'] as const) {
    it(`with pglite.wasm ${damage}: a failed status and one message that say so, and static analysis goes on`, async () => {
      const root = folder('pglens-faults-sandbox-', { 'schema.sql': 'CREATE TABLE items (id int PRIMARY KEY, kind int NOT NULL, note text);\n' });
      const client = await start(root, {}, brokenInstall(damage));
      const uri = uriOf(root, 'report.sql');
      client.open(uri, 'SELECT * FROM items WHERE kind = 3;\n');
      expect((await client.diagnostics(uri, 1)).map((d) => d.code)).toContain('select-star');
      const failed = await nextStatus(client, 'failed', 0, 20_000);
      expect(failed.label).toBe('disconnected');
      const cause = damage === 'missing' ? /ENOENT: no such file or directory, open '[^']*pglite\.wasm'/ : /WebAssembly\.instantiate\(\): expected magic word/;
      expect(failed.detail).toMatch(new RegExp(`^Could not start the embedded database \\(PGlite\\): ${cause.source}.*\\. Reinstall the extension, or connect a development database instead\\. Retrying in 1 s\\.$`));
      const answer = await hover(client, uri, 0, 2);
      expect(answer?.contents.value).toMatch(/select-star/);
      expect(answer?.contents.value).toContain('_No plan yet: Could not start the embedded database (PGlite)');
      // It is retried with backoff; the retry fails the same way and is not shown again.
      await nextStatus(client, 'failed', statuses(client).length, 10_000);
      expect(shownMessages(client).filter((m) => m.includes('embedded database'))).toEqual([
        expect.stringMatching(/^pglens cannot use the database: Could not start the embedded database \(PGlite\): .* Static checks go on; plans appear once it connects\.$/),
      ]);
      await expectStaticAnalysis(client, root);
    }, 40_000);
  }
});

describe('a migration folder with broken SQL (the embedded sandbox)', () => {
  it('builds the sandbox from the rest, names each broken file, and keeps analysing', async () => {
    const root = folder('pglens-faults-migrations-', {
      'migrations/001_events.sql': 'CREATE TABLE events (id bigint PRIMARY KEY, kind int NOT NULL);\n',
      'migrations/002_broken_syntax.sql': '-- a typo\nCREATE TABLE oops (id int PRIMARY KEY,, name text);\n',
      'migrations/003_missing_table.sql': 'CREATE INDEX ghosts_kind_idx ON ghosts (kind);\n',
      'migrations/004_note.sql': 'ALTER TABLE events ADD COLUMN note text;\n',
      '.pglens.json': JSON.stringify({ rows: { events: 5000 } }),
    });
    const client = await start(root, {});
    const uri = uriOf(root, 'report.sql');
    client.open(uri, 'SELECT * FROM events WHERE kind = 3;\n');
    expect((await client.diagnostics(uri, 1)).map((d) => d.code)).toContain('select-star');
    // PGlite takes ~3 s to start on an idle machine, and far longer on a loaded one.
    const ready = await nextStatus(client, 'embedded', 0, 100_000);
    expect(ready.detail).toMatch(/^Plans come from the sandbox \(PGlite, PostgreSQL 18\) built from 2 of 4 migrations, 5,000 synthetic rows: .* 2 problems while building it; see the pglens output\.$/);
    const problems = logLines(client).filter((line) => line.startsWith('pglens: sandbox: '));
    expect(problems).toEqual([
      expect.stringMatching(/^pglens: sandbox: migrations\/002_broken_syntax\.sql: Migration migrations\/002_broken_syntax\.sql failed at line 2: syntax error at or near ","/),
      expect.stringMatching(/^pglens: sandbox: migrations\/003_missing_table\.sql: Migration migrations\/003_missing_table\.sql failed at line 1: relation "ghosts" does not exist/),
    ]);
    // The broken file itself, opened, gets a diagnostic on the bad line.
    const broken = uriOf(root, 'migrations/002_broken_syntax.sql');
    client.open(broken, readFileSync(join(root, 'migrations/002_broken_syntax.sql'), 'utf8'));
    const syntax = (await client.diagnostics(broken, 1)).filter((d) => d.code === 'sql-syntax');
    expect(syntax.map((d) => d.range.start.line)).toEqual([1]);
    // Plans come from what was built (004 applied after the broken ones).
    const answer = await hover(client, uri, 0, 2, 20_000);
    expect(answer?.contents.value).toContain('**Sandbox plan**');
    expect(answer?.contents.value).toMatch(/Seq Scan on events/);
    await expectStaticAnalysis(client, root);
  }, 120_000);
});

/** The CLI, running; `result` settles when it exits (or after 15 s, as 'hung'). */
function runCli(args: string[]): { result: Promise<{ code: number | null | 'hung'; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: workspace });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000).unref());
  return {
    result: Promise.race([exited, hung]).then((code) => {
      child.kill();
      return { code, stdout, stderr };
    }),
  };
}

describe('the CLI against a dead database', () => {
  it('pglens check --db <closed port>: exit 2 with one clear line and a hint; --no-db still reports the static findings', async () => {
    const port = await closedPort();
    const root = folder('pglens-faults-cli-', { 'q.sql': 'SELECT * FROM items;\n' });
    const started = Date.now();
    const run = spawnSync(process.execPath, [CLI, 'check', '--db', `postgresql://postgres@127.0.0.1:${port}/x`, root], { encoding: 'utf8', timeout: 20_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `pglens check: cannot use the database from --db (postgres@127.0.0.1:${port}/x): Nothing is listening on 127.0.0.1:${port} (connection refused); start PostgreSQL or fix the host and port.`,
      'Run with --no-db to check without plans.',
    ]);
    const statics = spawnSync(process.execPath, [CLI, 'check', '--no-db', root], { encoding: 'utf8', timeout: 20_000 });
    expect(statics.status).toBe(1);
    expect(statics.stdout).toContain('select-star');
  }, 30_000);

  it('pglens check with its backend terminated mid-EXPLAIN: exit 2, says the plan findings are incomplete', async () => {
    const root = folder('pglens-faults-cli-check-', { 'q.sql': 'SELECT note AS fault_cli_check FROM items WHERE kind = 5;\n' });
    const lock = await lockItems();
    try {
      const run = runCli(['check', '--db', db.url, root]);
      await terminate(await pglensBackend('fault_cli_check', 'lock'));
      const { code, stdout, stderr } = await run.result;
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^pglens check: the database stopped answering, so plan findings are incomplete \(The server at 127\.0\.0\.1:5432 shut down the connection\.\)\.$/m),
        'Run again when it is back, or with --no-db.',
      ]);
    } finally {
      await lock.release();
    }
  }, 30_000);

  it('pglens explain --analyze with its backend terminated: exit 2 with a clear message, no stack trace', async () => {
    const run = runCli(['explain', '--db', db.url, '--analyze', '--sql', 'SELECT pg_sleep(20) AS fault_cli_slow']);
    await terminate(await pglensBackend('fault_cli_slow', 'analyze'));
    const { code, stdout, stderr } = await run.result;
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' }); // not 0 with nothing printed
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^pglens explain: The database connection failed \(terminating connection due to administrator command\)/)]);
  }, 30_000);
});

