import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseStatus, PlanResponse } from '../../server/src/protocol';
import { closedPort, passwordRejectingServer } from '../db/tcp';
import { createTestDatabase, withAdmin, type TestDatabase } from '../db/test-database';
import { LspClient, type Diagnostic, type PublishDiagnostics } from '../helpers/lsp-client';

/**
 * Secrets never leave pglens: a LOGIN role with a long, distinctive password, and a full session of the
 * real language server over stdio and of the CLI — connected, planning, advising, failing in every way a
 * connection can fail, reading the password from a setting, `.env`, DATABASE_URL, PGPASSWORD and a
 * pgpass file. Everything the processes write (every JSON-RPC byte on stdout, stderr, CLI output in
 * text, JSON, SARIF and HTML) is kept and searched for the password, its URL-encoded form and pieces
 * of its random core.
 *
 * The local server trusts 127.0.0.1, so it never asks for the password; a stand-in server that asks
 * for it (and records what it got) proves the password from PGPASSWORD or the pgpass file really
 * travelled through pglens on the paths where it is read.
 */
const ROOT = resolve(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const CLI = join(ROOT, 'dist', 'cli.js');

const CORE = randomBytes(16).toString('hex');
/** Characters a URL must percent-encode, so the encoded form differs from the raw one. */
const PASSWORD = `pw.${CORE}.$^@:/?#&=+%`;
const ENCODED = encodeURIComponent(PASSWORD);
const ROLE = `pglens_reader_${randomBytes(3).toString('hex')}`;

/** Every form of the secret that must never show: raw, encoded, and 8-character pieces of its random core. */
const FORBIDDEN = [PASSWORD, ENCODED, CORE, ...[0, 8, 16, 24].map((at) => CORE.slice(at, at + 8))];

const SCHEMA = `
CREATE EXTENSION hypopg;
CREATE TABLE events (id int PRIMARY KEY, account int NOT NULL, kind text NOT NULL, payload text);
INSERT INTO events SELECT g, g % 500, (ARRAY['a', 'b', 'c'])[1 + g % 3], 'payload ' || g FROM generate_series(1, 30000) g;
CREATE TABLE vault (id int PRIMARY KEY, secret text);
ANALYZE;
`;

const SQL = [
  'SELECT id, kind FROM events WHERE account = 42;',
  'SELECT * FROM events WHERE id = 7;',
  'SELECT secret FROM vault WHERE id = 1;',
  "UPDATE events SET kind = 'z' WHERE account = 3;",
  'SELECT pg_sleep(3), id FROM events WHERE id = 1;',
  '',
].join('\n');

const TS = [
  "import { Pool } from 'pg';",
  'const pool = new Pool();',
  'export async function byAccount(account: number) {',
  "  return pool.query('SELECT id, kind FROM events WHERE account = $1', [account]);",
  '}',
  '',
].join('\n');

interface Output {
  label: string;
  text: string;
}

/** Everything any process wrote, labelled. */
const outputs: Output[] = [];
const record = (label: string, text: string) => outputs.push({ label, text });

let db: TestDatabase;
let scratch: string;
let workspace: string;
let goodUrl: string;
let savedEnv: NodeJS.ProcessEnv;
const clients: LspClient[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

const url = (options: { host?: string; port?: number; database?: string; password?: string } = {}) =>
  `postgresql://${ROLE}:${options.password ?? ENCODED}@${options.host ?? '127.0.0.1'}:${options.port ?? 5432}/${options.database ?? db.name}`;

beforeAll(async () => {
  savedEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGPASSFILE', 'FORCE_COLOR']) delete process.env[name];
  scratch = mkdtempSync(join(tmpdir(), 'pglens-secrets-'));
  // No pgpass anywhere unless a test says so.
  process.env.PGPASSFILE = join(scratch, 'no-such-pgpass');
  db = await createTestDatabase(SCHEMA);
  // The recommended read-only role of docs/database-role.md, with a password.
  await withAdmin(async (admin) => {
    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    await admin.query(`GRANT CONNECT ON DATABASE ${db.name} TO ${ROLE}`);
  });
  await db.client.query(`
    GRANT USAGE ON SCHEMA public TO ${ROLE};
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${ROLE};
    REVOKE SELECT ON vault FROM ${ROLE};
  `);
  goodUrl = url();
  workspace = join(scratch, 'workspace');
  mkdirSync(join(workspace, 'src'), { recursive: true });
  writeFileSync(join(workspace, 'queries.sql'), SQL);
  writeFileSync(join(workspace, 'src', 'accounts.ts'), TS);
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.kill();
  for (const cleanup of cleanups) await cleanup();
  await db?.drop();
  await withAdmin((admin) => admin.query(`DROP ROLE IF EXISTS ${ROLE}`)).catch(() => undefined);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (savedEnv) {
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  }
});

/** The stand-in server that records the password it is sent and refuses it; closed after the file. */
async function passwordRecordingServer(): Promise<Awaited<ReturnType<typeof passwordRejectingServer>>> {
  const server = await passwordRejectingServer(ROLE);
  cleanups.push(server.close);
  return server;
}

/** Starts the built server with `env` added to (or, for undefined values, removed from) the environment. */
function startServer(label: string, env: Record<string, string | undefined> = {}): { client: LspClient; raw: () => string } {
  const before = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let client: LspClient;
  try {
    client = new LspClient(SERVER);
  } finally {
    for (const name of Object.keys(env)) {
      if (before[name] === undefined) delete process.env[name];
      else process.env[name] = before[name];
    }
  }
  clients.push(client);
  // Every byte the server writes on stdout, whatever the helper makes of it.
  const chunks: Buffer[] = [];
  (client as unknown as { child: { stdout: NodeJS.ReadableStream } }).child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const raw = () => Buffer.concat(chunks).toString('utf8');
  cleanups.push(async () => {
    await client.exited.catch(() => undefined);
    record(`${label}: server stdout (JSON-RPC)`, raw());
    record(`${label}: server stderr`, client.stderr);
  });
  return { client, raw };
}

async function stop(client: LspClient): Promise<void> {
  await client.shutdown().catch(() => client.kill());
}

const statusWhere = (client: LspClient, match: (status: DatabaseStatus) => boolean, timeoutMs = 20_000) =>
  client.waitFor('pglens/status', (s) => match(s as DatabaseStatus), timeoutMs) as Promise<DatabaseStatus>;

function statusesSince(client: LspClient, index: number): DatabaseStatus[] {
  return client.notifications.slice(index).filter((n) => n.method === 'pglens/status').map((n) => n.params as DatabaseStatus);
}

async function nextStatus(client: LspClient, from: number, match: (status: DatabaseStatus) => boolean, timeoutMs = 20_000): Promise<DatabaseStatus> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = statusesSince(client, from).find(match);
    if (found) return found;
    if (performance.now() > deadline) throw new Error(`no matching pglens/status; saw ${JSON.stringify(statusesSince(client, from))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function diagnosticsWhere(client: LspClient, uri: string, match: (d: Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<Diagnostic[]> {
  const params = (await client.waitFor(
    'textDocument/publishDiagnostics',
    (p) => (p as PublishDiagnostics).uri === uri && match((p as PublishDiagnostics).diagnostics),
    timeoutMs,
  )) as PublishDiagnostics;
  return params.diagnostics;
}

/** A request whose failure is an expected outcome: its message is kept (it was written by the server). */
async function attempt<T>(label: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    record(`${label}: error`, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

interface CliRun {
  args: string[];
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

interface CliSpec {
  args: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  name?: string;
}

function cli(args: string[], options: Omit<CliSpec, 'args'> = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', fail);
    child.on('close', (status) => {
      clearTimeout(timer);
      const label = `cli ${args.map((a) => (a.length > 40 ? `${a.slice(0, 37)}…` : a)).join(' ')}`;
      record(`${label}: stdout`, stdout);
      record(`${label}: stderr`, stderr);
      done({ args, status, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Runs the CLI invocations two at a time (the machine has two cores shared with others). */
async function cliAll(runs: CliSpec[]): Promise<CliRun[]> {
  const results: CliRun[] = new Array(runs.length);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const i = next++;
      results[i] = await cli(runs[i].args, runs[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe('the language server, a full session', () => {
  it('connects with the password in the URL, plans, hovers, explains, advises and fixes without writing it anywhere', async () => {
    const { client } = startServer('lsp main');
    const sqlUri = pathToFileURL(join(workspace, 'queries.sql')).href;
    const tsUri = pathToFileURL(join(workspace, 'src', 'accounts.ts')).href;
    await client.initialize({
      rootUri: pathToFileURL(workspace).href,
      trace: 'verbose',
      initializationOptions: { databaseUrl: goodUrl, debounceMs: 20, explain: { statementTimeoutMs: 1_500 } },
    });
    client.open(sqlUri, SQL);
    client.open(tsUri, TS, 1, 'typescript');
    const connected = await statusWhere(client, (s) => s.state === 'connected');
    expect(connected.label).toBe(`${db.name}@127.0.0.1`);
    expect(connected.detail).toContain(`${ROLE}@127.0.0.1:5432/${db.name}`);
    const sqlDiagnostics = await diagnosticsWhere(client, sqlUri, (d) => d.some((x) => x.code === 'index-suggestion'));
    expect(sqlDiagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['seq-scan', 'index-suggestion', 'select-star']));
    await diagnosticsWhere(client, tsUri, (d) => d.some((x) => x.code === 'seq-scan'));

    // Hovers on every statement (a plan, an index suggestion, a permission error, a write, a slow query).
    for (let line = 0; line < 5; line++) {
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: sqlUri }, position: { line, character: 2 } });
      if (line === 0) expect(hover?.contents.value).toContain('**Index suggestion**');
      if (line === 2) expect(hover?.contents.value).toMatch(/permission denied/);
    }
    await client.request('textDocument/hover', { textDocument: { uri: tsUri }, position: { line: 3, character: 30 } });

    // The plan view's request and the explain command, estimated and analysed, on both documents.
    const plan = await client.request<PlanResponse>('pglens/plan', { uri: sqlUri, position: { line: 0, character: 3 }, analyze: true });
    expect(plan.analyzed).toBe(true);
    await client.request('pglens/plan', { uri: tsUri, position: { line: 3, character: 30 }, analyze: false });
    await attempt('pglens/plan on vault', () => client.request('pglens/plan', { uri: sqlUri, position: { line: 2, character: 3 }, analyze: false }));
    for (const [line, analyze] of [[0, true], [1, false], [2, true], [3, true]] as const) {
      await attempt(`explain line ${line}`, () =>
        client.request('workspace/executeCommand', { command: 'pglens.server.explain', arguments: [sqlUri, { line, character: 1 }, analyze] }),
      );
    }
    // Past the 1.5 s statement timeout: an error path (an error answer, or null and a log line).
    const before = outputs.length;
    const slow = await attempt('explain pg_sleep', () =>
      client.request('workspace/executeCommand', { command: 'pglens.server.explain', arguments: [sqlUri, { line: 4, character: 1 }, true] }),
    );
    if (slow === undefined) expect(outputs.slice(before).map((o) => o.text).join('\n')).toMatch(/statement timeout/);
    else await client.waitFor('window/logMessage', (p) => /statement timeout/.test((p as { message: string }).message));

    // Code actions on every diagnostic (the index suggestion's new migration, suppressions, LIMIT).
    for (const diagnostic of sqlDiagnostics) {
      await client.request('textDocument/codeAction', { textDocument: { uri: sqlUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    }
    const suggestions = await client.request<unknown[]>('workspace/executeCommand', { command: 'pglens.server.suggestIndexes', arguments: [] }, 30_000);
    expect(suggestions.length).toBeGreaterThan(0);
    await client.request('workspace/executeCommand', { command: 'pglens.server.reanalyze', arguments: [] });

    // Settings changes to wrong URLs that still hold the password: every kind of failure.
    const rejecting = await passwordRecordingServer();
    const port = await closedPort();
    const wrong: [string, string, RegExp][] = [
      // Two unparsable URLs in a row would be one state: they alternate with ones that parse.
      ['wrong host', url({ host: 'no-such-host.invalid' }), /not found/],
      ['unparsable, raw password', `postgresql://${ROLE}:${PASSWORD}@[bad`, /not a usable PostgreSQL URL/],
      ['wrong database', url({ database: 'no_such_database' }), /does not exist/],
      ['unparsable host', `postgresql://${ROLE}:${ENCODED}@[bad/${db.name}`, /not a usable PostgreSQL URL/],
      ['closed port', url({ port }), /Nothing is listening/],
      // A password of plain characters: the old port message quoted "<password>@[bad".
      ['unparsable, plain password', `postgresql://${ROLE}:${CORE}@[bad`, /not a usable PostgreSQL URL/],
      ['password refused', url({ port: rejecting.port }), /Wrong password/],
      ['raw password with #', `postgresql://${ROLE}:${PASSWORD}@127.0.0.1:5432/${db.name}`, /not a usable PostgreSQL URL|not found|does not exist|refused/],
    ];
    for (const [what, bad, expected] of wrong) {
      const from = client.notifications.length;
      client.notify('workspace/didChangeConfiguration', { settings: { pglens: { databaseUrl: bad, debounceMs: 20 } } });
      // A query wants a plan: connecting starts.
      await attempt(`plan after ${what}`, () => client.request('pglens/plan', { uri: sqlUri, position: { line: 0, character: 3 }, analyze: false }));
      const failed = await nextStatus(client, from, (s) => s.state === 'failed');
      expect(failed.detail, what).toMatch(expected);
      await attempt(`hover after ${what}`, () => client.request('textDocument/hover', { textDocument: { uri: sqlUri }, position: { line: 0, character: 2 } }));
    }
    expect(rejecting.received).toEqual([PASSWORD]);

    // The client's own URL command, wrong then right; the setting no longer overrides it.
    client.notify('workspace/didChangeConfiguration', { settings: { pglens: { debounceMs: 20 } } });
    let from = client.notifications.length;
    await client.request('workspace/executeCommand', { command: 'pglens.server.setDatabaseUrl', arguments: [url({ database: 'still_missing' })] });
    await nextStatus(client, from, (s) => s.state === 'failed' && /still_missing/.test(s.detail ?? ''));
    from = client.notifications.length;
    await client.request('workspace/executeCommand', { command: 'pglens.server.setDatabaseUrl', arguments: [goodUrl] });
    await nextStatus(client, from, (s) => s.state === 'connected');
    await client.request('pglens/plan', { uri: sqlUri, position: { line: 0, character: 3 }, analyze: false });
    await stop(client);
  }, 60_000);

  it('reads the password from .env, PGPASSWORD and a pgpass file, and writes it nowhere', async () => {
    // .env: the right database, then a wrong one.
    for (const [name, database, expected] of [
      ['dotenv', db.name, 'connected'],
      ['dotenv-wrong', 'missing_db', 'failed'],
    ] as const) {
      const folder = join(scratch, name);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, '.env'), `# local development\nDATABASE_URL=${url({ database })}\n`);
      writeFileSync(join(folder, 'q.sql'), SQL);
      const { client } = startServer(`lsp ${name}`);
      await client.initialize({ rootUri: pathToFileURL(folder).href, initializationOptions: { debounceMs: 20 } });
      client.open(pathToFileURL(join(folder, 'q.sql')).href, SQL);
      const status = await statusWhere(client, (s) => s.state === expected);
      if (expected === 'connected') await diagnosticsWhere(client, pathToFileURL(join(folder, 'q.sql')).href, (d) => d.some((x) => x.code === 'seq-scan'));
      else expect(status.detail).toMatch(/missing_db.*does not exist/);
      await stop(client);
    }

    // PGPASSWORD and a pgpass file (one that only its owner can read, and one that others can).
    const rejecting = await passwordRecordingServer();
    const pgpass = join(scratch, 'pgpass');
    const entry = `127.0.0.1:*:*:${ROLE}:${PASSWORD.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`;
    writeFileSync(pgpass, `# host:port:database:user:password\n${entry}`);
    chmodSync(pgpass, 0o600);
    const open = join(scratch, 'pgpass-readable');
    writeFileSync(open, entry);
    chmodSync(open, 0o644);
    const pg = { PGHOST: '127.0.0.1', PGUSER: ROLE, PGDATABASE: db.name };
    const cases: [string, Record<string, string>, DatabaseStatus['state'], RegExp][] = [
      ['PGPASSWORD', { ...pg, PGPORT: '5432', PGPASSWORD: PASSWORD }, 'connected', /./],
      ['PGPASSWORD refused', { ...pg, PGPORT: String(rejecting.port), PGPASSWORD: PASSWORD }, 'failed', /Wrong password/],
      ['PGPASSWORD wrong database', { ...pg, PGPORT: '5432', PGDATABASE: 'nope_db', PGPASSWORD: PASSWORD }, 'failed', /does not exist/],
      ['pgpass', { ...pg, PGPORT: '5432', PGPASSFILE: pgpass }, 'connected', /./],
      ['pgpass refused', { ...pg, PGPORT: String(rejecting.port), PGPASSFILE: pgpass }, 'failed', /Wrong password/],
      ['pgpass readable by others', { ...pg, PGPORT: String(rejecting.port), PGPASSFILE: open }, 'failed', /asks for a password and none is configured|Wrong password/],
    ];
    const folder = join(scratch, 'pg-env');
    mkdirSync(folder, { recursive: true });
    for (const [name, env, expected, detail] of cases) {
      const { client } = startServer(`lsp ${name}`, env);
      await client.initialize({ rootUri: pathToFileURL(folder).href, initializationOptions: { debounceMs: 20 } });
      client.open(pathToFileURL(join(folder, 'q.sql')).href, SQL);
      const status = await statusWhere(client, (s) => s.state === expected);
      expect(status.detail, name).toMatch(detail);
      await stop(client);
    }
    // The password really went from PGPASSWORD and the pgpass file to the server; the readable file was
    // ignored (by pglens and by pg's own pgpass fallback, which then sends an empty password).
    expect(rejecting.received).toEqual([PASSWORD, PASSWORD, '']);
  }, 60_000);
});

describe('the CLI', () => {
  it('check, explain and advise in text, JSON, SARIF and HTML, on every failure, never print the password', async () => {
    const rejecting = await passwordRecordingServer();
    const port = await closedPort();
    const folder = (name: string, files: Record<string, string>) => {
      const path = join(scratch, name);
      mkdirSync(path, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
      return path;
    };
    const env = folder('cli-env', { '.env': `DATABASE_URL="${url()}"\n`, 'q.sql': SQL });
    const config = folder('cli-config', { '.pglens.json': JSON.stringify({ databaseUrl: url({ database: 'config_missing' }) }), 'q.sql': SQL });
    // Not JSON: the URL pasted unquoted, with its raw password.
    const broken = folder('cli-broken', { '.pglens.json': `{ "databaseUrl": postgresql://${ROLE}:${PASSWORD}@127.0.0.1/db }`, 'q.sql': SQL });
    const fast = join(folder('cli-fast', { 'settings.json': JSON.stringify({ explain: { statementTimeoutMs: 300 } }) }), 'settings.json');
    const pgpass = join(scratch, 'cli-pgpass');
    writeFileSync(pgpass, `*:*:*:${ROLE}:${PASSWORD.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`);
    chmodSync(pgpass, 0o600);
    const pg = { PGHOST: '127.0.0.1', PGUSER: ROLE, PGDATABASE: db.name };
    const sql = 'SELECT id, kind FROM events WHERE account = 42';
    const sleep = 'SELECT pg_sleep(10), id FROM events WHERE id = 1';
    const bad = {
      database: url({ database: 'cli_missing' }),
      port: url({ port }),
      syntax: `postgresql://${ROLE}:${PASSWORD}@[bad`,
      plain: `postgresql://${ROLE}:${CORE}@[bad`,
      host: url({ host: 'no-such-host.invalid' }),
      refused: url({ port: rejecting.port }),
    };
    const runs: CliSpec[] = [
      // Connected, every format; EXPLAIN errors (permission, timeout) included.
      { args: ['check', '.', '--db', goodUrl, '--format', 'json'] },
      { args: ['check', '.', '--db', goodUrl, '--format', 'sarif'] },
      { args: ['explain', '--db', goodUrl, '--sql', sql, '--analyze'] },
      { args: ['explain', '--db', goodUrl, '--sql', sql, '--format', 'html'] },
      { args: ['explain', 'queries.sql:3', '--db', goodUrl, '--format', 'json'] },
      { args: ['explain', '--db', goodUrl, '--config', fast, '--sql', sleep, '--analyze'] },
      { args: ['advise', '--db', goodUrl, '--sql', sql] },
      { args: ['advise', '--workspace', '.', '--db', goodUrl, '--format', 'json'] },
      // Every way the connection fails, spread over the commands (the unparsable URL in all three).
      { args: ['check', '.', '--db', bad.database, '--format', 'sarif'] },
      { args: ['explain', '--db', bad.port, '--sql', sql] },
      { args: ['check', '.', '--db', bad.syntax, '--format', 'sarif'] },
      { args: ['explain', '--db', bad.syntax, '--sql', sql] },
      { args: ['advise', '--db', bad.syntax, '--sql', sql, '--format', 'json'] },
      { args: ['explain', '--db', bad.plain, '--sql', sql] },
      { args: ['advise', '--db', bad.host, '--sql', sql] },
      { args: ['check', '.', '--db', bad.refused, '--format', 'json'] },
      // The URL from .env, DATABASE_URL and .pglens.json; the password from PGPASSWORD and a pgpass file.
      { args: ['check', env, '--format', 'sarif'] },
      { args: ['explain', '--sql', sql], env: { DATABASE_URL: bad.database }, name: 'DATABASE_URL' },
      { args: ['check', config, '--format', 'sarif'] },
      { args: ['check', broken] },
      { args: ['explain', '--sql', sql], env: { ...pg, PGPASSWORD: PASSWORD }, name: 'PGPASSWORD' },
      { args: ['explain', '--sql', sql], env: { ...pg, PGPASSWORD: PASSWORD, PGPORT: String(rejecting.port) } },
      { args: ['advise', '--sql', sql, '--format', 'json'], env: { ...pg, PGPASSFILE: pgpass } },
      { args: ['check', '.', '--format', 'sarif'], env: { ...pg, PGPASSFILE: pgpass, PGPORT: String(rejecting.port) } },
      // Usage errors that quote what was typed.
      { args: [goodUrl] },
      { args: ['check', '--format', goodUrl] },
    ];
    const results = await cliAll(runs);
    const by = (...args: string[]) => results.find((r) => args.every((a, i) => r.args[i] === a))!;
    // SARIF goes to files, as CI keeps it; they are searched like the rest.
    const sarif = results.filter((r) => r.args.includes('sarif') && r.status !== 2);
    expect(sarif.length).toBe(2);
    for (const [i, run] of sarif.entries()) {
      const file = join(scratch, `check-${i}.sarif`);
      writeFileSync(file, run.stdout);
      expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe('2.1.0');
      record(`SARIF file ${file}`, readFileSync(file, 'utf8'));
    }
    // The runs did what they were meant to: the good ones planned, the bad ones failed for their reason.
    expect(by('check', '.', '--db', goodUrl, '--format', 'json').stdout).toMatch(/seq-scan/);
    expect(by('check', env, '--format', 'sarif').stdout).toMatch(/seq-scan/);
    expect(by('explain', 'queries.sql:3').stderr).toMatch(/permission denied for table vault/);
    expect(by('explain', '--db', goodUrl, '--config').stderr).toMatch(/statement timeout/);
    expect(by('advise', '--db', goodUrl, '--sql', sql).stdout).toMatch(/CREATE INDEX/);
    expect(by('advise', '--sql', sql, '--format', 'json').stdout).toMatch(/CREATE INDEX/);
    expect(results[runs.findIndex((r) => r.name === 'DATABASE_URL')].stderr).toMatch(/cli_missing.*does not exist/);
    expect(results[runs.findIndex((r) => r.name === 'PGPASSWORD')].stdout).toMatch(/Seq Scan on events/);
    for (const run of results.filter((r) => Object.values(bad).some((b) => r.args.includes(b)))) expect(run.status, run.args.join(' ')).toBe(2);
    expect(by('check', '.', '--db', bad.syntax).stderr).toMatch(/is not a usable PostgreSQL URL: it could not be parsed/);
    expect(by('check', '.', '--db', bad.refused).stderr).toMatch(/Wrong password/);
    expect(by('check', broken).stderr).toMatch(/is not valid JSON/);
    expect(by('check', config, '--format', 'sarif').stderr).toMatch(/config_missing.*does not exist/);
    // The password reached the server from the URL, PGPASSWORD and the pgpass file.
    expect(rejecting.received).toEqual([PASSWORD, PASSWORD, PASSWORD]);
  }, 120_000);
});

describe('nothing written holds the password', () => {
  it('in any output of any process', async () => {
    for (const client of clients) client.kill();
    for (const client of clients) await client.exited.catch(() => undefined);
    for (const cleanup of cleanups.splice(0)) await cleanup();
    const leaks = outputs.flatMap(({ label, text }) => FORBIDDEN.filter((secret) => text.includes(secret)).map((secret) => ({ label, secret, excerpt: excerpt(text, secret) })));
    const bytes = outputs.reduce((sum, o) => sum + Buffer.byteLength(o.text), 0);
    console.log(`secrets: searched ${outputs.length} outputs, ${bytes} bytes, for ${FORBIDDEN.length} forms of the password`);
    expect(leaks).toEqual([]);
    expect(outputs.length).toBeGreaterThan(60);
    expect(bytes).toBeGreaterThan(100_000);
  });
});

function excerpt(text: string, secret: string): string {
  const at = text.indexOf(secret);
  return text.slice(Math.max(0, at - 80), at + secret.length + 40);
}
