import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseStatus, PlanResponse } from '../server/src/protocol';
import { passwordRejectingServer, TcpProxy } from './db/tcp';
import { createTestDatabase, SHOP_SCHEMA, type TestDatabase } from './db/test-database';
import { LspClient, type Diagnostic, type PublishDiagnostics } from './helpers/lsp-client';

/**
 * Plans where the query is written: the built server over stdio against the real local PostgreSQL
 * (a scratch database with 100k users and 150k orders), reached through a TCP proxy the test can cut.
 */
const root = resolve(__dirname, '..');
const server = join(root, 'dist', 'server.js');

let db: TestDatabase;
let proxy: TcpProxy;
let workspace: string;
const clients: LspClient[] = [];

interface Hover {
  contents: { kind: string; value: string };
}

const SQL = [
  "SELECT id, total FROM orders WHERE status = 'paid';",
  'SELECT email FROM users WHERE id = 42;',
  '',
].join('\n');

const TS = [
  "import { Pool } from 'pg';",
  'const pool = new Pool();',
  'export async function bigSpenders(minimum: number) {',
  '  return pool.query(`SELECT id, user_id FROM orders WHERE total > ${minimum} AND note IS NULL ORDER BY total DESC`);',
  '}',
  '',
].join('\n');

beforeAll(async () => {
  db = await createTestDatabase(SHOP_SCHEMA);
  proxy = new TcpProxy(5432);
  await proxy.open();
  // No migrations here: the database comes from the client, never from the sandbox.
  workspace = mkdtempSync(join(tmpdir(), 'pglens-lsp-plans-'));
  mkdirSync(join(workspace, 'src'));
  writeFileSync(join(workspace, 'queries.sql'), SQL);
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.kill();
  await proxy?.close();
  await db?.drop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

async function start(initializationOptions: Record<string, unknown>): Promise<LspClient> {
  const client = new LspClient(server);
  clients.push(client);
  await client.initialize({ rootUri: pathToFileURL(workspace).href, initializationOptions });
  return client;
}

const statuses = (client: LspClient) =>
  client.notifications.filter((n) => n.method === 'pglens/status').map((n) => n.params as DatabaseStatus);

/** The diagnostics published for `uri` at `version` that satisfy `match` (plan ones come after static ones). */
async function diagnosticsWhere(client: LspClient, uri: string, version: number, match: (d: Diagnostic[]) => boolean, timeoutMs = 20_000) {
  const params = (await client.waitFor(
    'textDocument/publishDiagnostics',
    (p) => (p as PublishDiagnostics).uri === uri && (p as PublishDiagnostics).version === version && match((p as PublishDiagnostics).diagnostics),
    timeoutMs,
  )) as PublishDiagnostics;
  return params.diagnostics;
}

const seqScans = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'seq-scan');
const hasSeqScan = (diagnostics: Diagnostic[]) => seqScans(diagnostics).length > 0;

describe('plans in the language server (PostgreSQL 15, 150k orders)', () => {
  let client: LspClient;
  const sqlUri = () => pathToFileURL(join(workspace, 'queries.sql')).href;
  const tsUri = () => pathToFileURL(join(workspace, 'src', 'spenders.ts')).href;

  beforeAll(async () => {
    client = await start({ debounceMs: 50, databaseUrl: `postgresql://postgres@127.0.0.1:${proxy.port}/${db.name}` });
  });

  it('puts seq-scan on the table name in a .sql file, and nothing on a primary-key lookup', async () => {
    client.open(sqlUri(), SQL);
    const first = await client.diagnostics(sqlUri(), 1);
    expect(seqScans(first)).toEqual([]); // static diagnostics go out first, without waiting for plans
    const diagnostics = await diagnosticsWhere(client, sqlUri(), 1, hasSeqScan);
    const [scan, ...others] = seqScans(diagnostics);
    expect(others).toEqual([]);
    expect(scan.range).toEqual({ start: { line: 0, character: 22 }, end: { line: 0, character: 28 } });
    expect(scan.severity).toBe(2);
    expect(scan.message).toMatch(/^Sequential scan on orders reads ~150,000 rows to keep those matching \(status = 'paid'::text\)/);
    expect(diagnostics.filter((d) => d.range.start.line === 1)).toEqual([]);
  });

  it('reports connecting, then connected with database@host, and never a password', () => {
    const seen = statuses(client);
    expect(seen.map((s) => s.state)).toEqual(expect.arrayContaining(['connecting', 'connected']));
    expect(seen.find((s) => s.state === 'connected')).toMatchObject({ label: `${db.name}@127.0.0.1`, detail: expect.stringMatching(/^PostgreSQL 15\./) });
  });

  it('puts seq-scan on the table name inside a TypeScript template literal', async () => {
    client.open(tsUri(), TS, 1, 'typescript');
    const diagnostics = await diagnosticsWhere(client, tsUri(), 1, hasSeqScan);
    const [scan] = seqScans(diagnostics);
    const column = TS.split('\n')[3].indexOf('orders WHERE');
    expect(scan.range).toEqual({ start: { line: 3, character: column }, end: { line: 3, character: column + 'orders'.length } });
    expect(scan.message).toMatch(/\(total > \$1\)/);
  });

  it("judges the static rules by the database's catalog once connected (its unique email index)", async () => {
    const uri = pathToFileURL(join(workspace, 'lookups.sql')).href;
    client.open(uri, "SELECT id FROM users WHERE email = 'user7@example.com';\nSELECT id FROM users WHERE country = 'de';\n");
    const limits = (await client.diagnostics(uri, 1)).filter((d) => d.code === 'missing-limit');
    expect(limits.map((d) => d.range.start.line)).toEqual([1]);
  });

  it('shows the plan on hover, says where it came from, and links EXPLAIN ANALYZE and the plan view', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: sqlUri() }, position: { line: 0, character: 3 } });
    const text = hover.contents.value;
    expect(text).toContain('**Query plan**');
    expect(text).toMatch(/Seq Scan on orders/);
    expect(text).toMatch(/seq-scan/);
    expect(text).toContain(`Plan from \`${db.name}@127.0.0.1\` (PostgreSQL 15.`);
    expect(text).toMatch(/\[Run EXPLAIN ANALYZE\]\(command:pglens\.server\.explain\?[^)]+\)/);
    expect(text).toMatch(/\[Show Plan\]\(command:pglens\.showPlan\?[^)]+\)/);
    const link = decodeURIComponent(/command:pglens\.server\.explain\?([^)]+)\)/.exec(text)![1]);
    expect(JSON.parse(link)).toEqual([sqlUri(), { line: 0, character: 0 }, true]);
    // The plan section lists seq-scan; the findings section does not repeat it.
    expect(text.match(/\[seq-scan\]|`seq-scan`/g)?.length).toBe(1);
  });

  it('pglens.server.explain returns the plan as Markdown, with ANALYZE when asked', async () => {
    const markdown = await client.request<string>('workspace/executeCommand', {
      command: 'pglens.server.explain',
      arguments: [sqlUri(), { line: 0, character: 5 }, true],
    });
    expect(markdown).toMatch(/^### EXPLAIN ANALYZE · line 1/);
    expect(markdown).toContain("SELECT id, total FROM orders WHERE status = 'paid'");
    expect(markdown).toContain('**Query plan (ANALYZE)**');
    const none = await client.request('workspace/executeCommand', { command: 'pglens.server.explain', arguments: [sqlUri(), { line: 2, character: 0 }, false] });
    expect(none).toBeNull();
  });

  it('answers pglens/plan with the raw plan, where it came from and the findings', async () => {
    const plan = await client.request<PlanResponse>('pglens/plan', { uri: tsUri(), position: { line: 3, character: 30 }, analyze: false });
    expect(plan.query).toBe('SELECT id, user_id FROM orders WHERE total > $1 AND note IS NULL ORDER BY total DESC');
    expect(plan.analyzed).toBe(false);
    expect(plan.database).toMatch(new RegExp(`^${db.name}@127\\.0\\.0\\.1, PostgreSQL 15\\.`));
    expect((plan.planJson as { Plan: { 'Node Type': string } }).Plan['Node Type']).toBe('Sort');
    expect(plan.findings.map((f) => f.code)).toContain('seq-scan');
  });

  it('goes on statically when the database goes away, says why, and brings plans back when it returns', async () => {
    await proxy.close();
    client.change(sqlUri(), `${SQL}SELECT * FROM users WHERE country = 'de';\n`, 2);
    const failed = (await client.waitFor('pglens/status', (s) => (s as DatabaseStatus).state === 'failed')) as DatabaseStatus;
    expect(failed.label).toBe('disconnected');
    expect(failed.detail).toMatch(/127\.0\.0\.1:\d+.*(reconnect|start PostgreSQL)/);
    const statics = await client.diagnostics(sqlUri(), 2);
    expect(statics.map((d) => d.code)).toContain('select-star');
    // No plan findings while it is gone, and no error on every line.
    await new Promise((r) => setTimeout(r, 300));
    const latest = client.published(sqlUri()).filter((p) => p.version === 2).at(-1)!;
    expect(seqScans(latest.diagnostics)).toEqual([]);
    expect(latest.diagnostics.every((d) => d.code === 'select-star' || d.code === 'missing-limit')).toBe(true);

    const failures = statuses(client).length;
    await proxy.open();
    await client.waitFor('pglens/status', (s) => (s as DatabaseStatus).state === 'connected' && statuses(client).length > failures, 30_000);
    const back = await diagnosticsWhere(client, sqlUri(), 2, hasSeqScan, 30_000);
    expect(seqScans(back).map((d) => d.range.start.line)).toEqual(expect.arrayContaining([0, 2]));
  }, 60_000);
});

describe('a database that refuses the password', () => {
  it('says so once (status and one message), not once per document', async () => {
    const rejecting = await passwordRejectingServer();
    try {
      const client = await start({ debounceMs: 20, databaseUrl: `postgresql://app:wrong-secret@127.0.0.1:${rejecting.port}/shop` });
      for (let i = 0; i < 3; i++) client.open(pathToFileURL(join(workspace, `q${i}.sql`)).href, `SELECT id FROM orders WHERE status = 'x${i}';`);
      const failed = (await client.waitFor('pglens/status', (s) => (s as DatabaseStatus).state === 'failed')) as DatabaseStatus;
      expect(failed.detail).toMatch(/^Wrong password for user "app" on 127\.0\.0\.1:\d+; fix the password/);
      await new Promise((r) => setTimeout(r, 2_500)); // past the first retry
      const messages = client.notifications.filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { message: string }).message);
      expect(messages.filter((m) => /Wrong password/.test(m))).toHaveLength(1);
      expect(JSON.stringify(client.notifications)).not.toContain('wrong-secret');
    } finally {
      await rejecting.close();
    }
  }, 30_000);
});

describe('the embedded sandbox, when nothing is configured and the workspace has a schema', () => {
  it('builds it on first use, says "sandbox" in the status and the hover, and reports seq-scan from it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pglens-lsp-sandbox-'));
    try {
      writeFileSync(join(folder, 'schema.sql'), 'CREATE TABLE events (id bigint PRIMARY KEY, kind int NOT NULL);\n');
      writeFileSync(join(folder, '.pglens.json'), JSON.stringify({ rows: { events: 30000 } }));
      const client = new LspClient(server);
      clients.push(client);
      await client.initialize({ rootUri: pathToFileURL(folder).href, initializationOptions: { debounceMs: 20 } });
      const uri = pathToFileURL(join(folder, 'report.sql')).href;
      client.open(uri, 'SELECT id FROM events WHERE kind = 3;\n');
      const ready = (await client.waitFor('pglens/status', (s) => (s as DatabaseStatus).state === 'embedded', 90_000)) as DatabaseStatus;
      expect(ready).toMatchObject({ label: 'sandbox', detail: expect.stringMatching(/^Plans come from the sandbox \(PGlite, PostgreSQL 18\) built from schema\.sql, 30,000 synthetic rows: synthetic data, not a real database\.$/) });
      expect(statuses(client)[0]).toMatchObject({ state: 'connecting', label: 'sandbox' });
      const [scan] = seqScans(await diagnosticsWhere(client, uri, 1, hasSeqScan, 30_000));
      expect(scan.range).toEqual({ start: { line: 0, character: 15 }, end: { line: 0, character: 21 } });
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
      expect(hover.contents.value).toContain('**Sandbox plan**: from the embedded database built from the workspace\'s migrations');
      expect(hover.contents.value).toContain('not a real database');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
