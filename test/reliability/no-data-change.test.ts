import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, type Notification as PgNotification } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adviseQuery } from '../../server/src/advisor/advise';
import { runCli } from '../../server/src/cli/run';
import { DatabaseCatalog } from '../../server/src/db/catalog';
import { PostgresDatabase } from '../../server/src/db/postgres-database';
import { loadParser } from '../../server/src/sql/parse';
import { createTestDatabase, type TestDatabase } from '../db/test-database';
import { LspClient } from '../helpers/lsp-client';
import { diffDatabaseStates, locksHeldByOthers, snapshotDatabase, type DatabaseState } from './database-state';

/**
 * No data change, ever, by default: every kind of statement — plain reads, reads whose functions write
 * (plpgsql, nextval, pg_notify, dblink loopback writes, advisory locks), FOR UPDATE, every kind of
 * write, DDL and utility statements, multi-statement strings — through every path that touches the
 * database: LSP hover (plan and advisor sections), the explain command with and without ANALYZE, with
 * default settings and with explain.analyzeWrites "rollback", the workspace advisor command; the CLI's
 * explain (plain, --analyze, --analyze-writes rollback), advise --sql and --workspace, check; the
 * advisor API in hypopg and in transaction (rolled-back build) mode. After each path the database is
 * compared with its state before: every table's rows, every sequence, relations, indexes, extensions,
 * functions, large objects; no NOTIFY arrived, no lock is left held, the second statement of a
 * multi-statement string never ran.
 */
const ROOT = resolve(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const CLI = join(ROOT, 'dist', 'cli.js');
const CHANNEL = 'pglens_witness';

const SCHEMA = `
CREATE EXTENSION hypopg;
CREATE EXTENSION dblink;
CREATE SEQUENCE counter_seq;
CREATE TABLE items (id serial PRIMARY KEY, sku text NOT NULL, category int NOT NULL, price numeric(10, 2) NOT NULL, note text);
INSERT INTO items (sku, category, price) SELECT 'sku-' || g, g % 50, (g % 1000) / 10.0 FROM generate_series(1, 20000) g;
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text NOT NULL, at timestamptz NOT NULL DEFAULT now());
INSERT INTO events (kind) SELECT (ARRAY['signup', 'login', 'logout'])[1 + g % 3] FROM generate_series(1, 300) g;
CREATE TABLE audit (id serial PRIMARY KEY, item_id int, action text NOT NULL);
INSERT INTO audit (item_id, action) VALUES (1, 'created'), (2, 'created');
CREATE TABLE plain (id int PRIMARY KEY, label text);
INSERT INTO plain SELECT g, 'row ' || g FROM generate_series(1, 20) g;
CREATE TABLE with_trigger (id int PRIMARY KEY, label text);
INSERT INTO with_trigger VALUES (1, 'one'), (2, 'two');
CREATE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit (item_id, action) VALUES (OLD.id, TG_OP); RETURN NULL; END $$;
CREATE TRIGGER with_trigger_audit AFTER UPDATE OR DELETE ON with_trigger FOR EACH ROW EXECUTE FUNCTION audit_change();
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent ON DELETE CASCADE);
INSERT INTO child VALUES (10, 1), (11, 1), (20, 2);
CREATE TRIGGER child_audit AFTER DELETE ON child FOR EACH ROW EXECUTE FUNCTION audit_change();
CREATE TABLE victim (id int PRIMARY KEY);
INSERT INTO victim VALUES (1);
CREATE TABLE escaped (note text);
CREATE FUNCTION bump(item int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  UPDATE items SET price = price + 1 WHERE id = item;
  INSERT INTO audit (item_id, action) VALUES (item, 'bump');
  RETURN item;
END $$;
CREATE FUNCTION next_ticket() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('counter_seq') $$;
CREATE TABLE defaulted (id bigint PRIMARY KEY DEFAULT next_ticket(), label text);
INSERT INTO defaulted (id, label) VALUES (1, 'first');
CREATE PROCEDURE wipe_plain() LANGUAGE sql AS $$ DELETE FROM plain $$;
CREATE TABLE ruled (id int PRIMARY KEY, label text);
CREATE RULE ruled_log AS ON INSERT TO ruled DO ALSO INSERT INTO audit (item_id, action) VALUES (NEW.id, 'rule');
CREATE VIEW cheap_items AS SELECT id, sku, price FROM items WHERE price < 10;
CREATE MATERIALIZED VIEW category_totals AS SELECT category, count(*) AS n FROM items GROUP BY category;
`;

/** Functions whose body reaches the same database over a second connection (dblink): a write that escapes any transaction. */
const LOOPBACK_FUNCTIONS = (connstr: string) => `
CREATE FUNCTION leak(note text) RETURNS text LANGUAGE sql AS $f$
  SELECT dblink_exec('${connstr}', 'INSERT INTO escaped VALUES (' || quote_literal(note) || ')')
$f$;
CREATE VIEW leaky_view AS SELECT id, leak('through a view') AS note FROM plain WHERE id = 1;
CREATE VIEW leaky_view_of_view AS SELECT id FROM leaky_view;
`;

type Kind = 'read' | 'side-effect' | 'write' | 'refused' | 'multi';

interface Entry {
  sql: string;
  kind: Kind;
  /**
   * What ANALYZE may do with it: `read` runs it read-only (and rolled back) by default, and must;
   * `harmless` may run it so (the rollback undoes all it does: a NOTIFY, a large object, a setting);
   * `rollback` only with analyzeWrites "rollback"; `never`: never executed, only planned. Unset for
   * refused and multi-statement entries (nothing is planned).
   */
  analyze?: 'read' | 'harmless' | 'rollback' | 'never';
  /** Values for `$n` in the TypeScript file (the call's arguments). */
  params?: unknown[];
  /** Also through the built executable (a process each: a few of the riskiest only). */
  built?: true;
}

function corpus(connstr: string): Entry[] {
  const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return [
    // Plain reads.
    { kind: 'read', analyze: 'read', sql: 'SELECT 1' },
    { kind: 'read', analyze: 'read', sql: 'SELECT id, sku FROM items WHERE category = 7' },
    { kind: 'read', analyze: 'read', sql: 'SELECT count(*) FROM items' },
    { kind: 'read', analyze: 'read', sql: 'SELECT id, sku, price FROM items ORDER BY price DESC LIMIT 10' },
    { kind: 'read', analyze: 'read', sql: "SELECT sku FROM items WHERE lower(sku) = 'sku-5'" },
    { kind: 'read', analyze: 'read', sql: 'SELECT i.sku, a.action FROM items i JOIN audit a ON a.item_id = i.id WHERE i.price > 50' },
    { kind: 'read', analyze: 'read', sql: 'WITH cheap AS (SELECT id FROM items WHERE price < 5) SELECT count(*) FROM cheap' },
    { kind: 'read', analyze: 'read', sql: 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10) SELECT sum(x) FROM n' },
    { kind: 'read', analyze: 'read', sql: 'SELECT id, sku FROM cheap_items WHERE sku LIKE $1', params: ['sku-1%'] },
    { kind: 'read', analyze: 'read', sql: 'SELECT category, n FROM category_totals ORDER BY n DESC LIMIT 5' },
    { kind: 'read', analyze: 'read', sql: 'SELECT id, kind FROM events WHERE kind = $1 AND id > $2', params: ['login', 10] },
    { kind: 'read', analyze: 'read', sql: 'VALUES (1, 2), (3, 4)' },
    { kind: 'read', analyze: 'harmless', sql: "SELECT pg_advisory_xact_lock(4243), pg_notify('" + CHANNEL + "', 'analyzed, then rolled back')" },
    // Reads whose functions act: writes, sequences, a second connection, locks.
    { kind: 'side-effect', analyze: 'never', sql: 'SELECT bump(1)' },
    { kind: 'side-effect', analyze: 'never', sql: 'SELECT bump(id) FROM items WHERE id <= 3' },
    { kind: 'side-effect', analyze: 'never', sql: 'SELECT next_ticket()' },
    { kind: 'side-effect', analyze: 'never', sql: "SELECT nextval('counter_seq')" },
    { kind: 'side-effect', analyze: 'never', sql: "SELECT setval('counter_seq', 1000)" },
    { kind: 'side-effect', analyze: 'never', sql: "SELECT nextval('items_id_seq'), nextval('audit_id_seq')" },
    { kind: 'side-effect', analyze: 'never', sql: `SELECT dblink_exec(${lit(connstr)}, 'INSERT INTO escaped VALUES (''direct dblink_exec'')')` },
    { kind: 'side-effect', analyze: 'never', sql: `SELECT id FROM dblink(${lit(connstr)}, 'DELETE FROM plain WHERE id = 3 RETURNING id') AS t(id int)` },
    { built: true, kind: 'side-effect', analyze: 'never', sql: "SELECT leak('hidden in a function')" },
    { kind: 'side-effect', analyze: 'never', sql: "SELECT id FROM items WHERE category = 1 AND leak('in a WHERE clause') IS NOT NULL" },
    { kind: 'side-effect', analyze: 'never', sql: `SELECT dblink_connect('pglens_leak', ${lit(connstr)})` },
    { kind: 'side-effect', analyze: 'never', sql: "SELECT dblink_exec('pglens_leak', 'INSERT INTO escaped VALUES (''named connection'')')" },
    { kind: 'side-effect', analyze: 'never', sql: 'SELECT pg_advisory_lock(4242)' },
    { kind: 'side-effect', analyze: 'never', sql: 'SELECT id, note FROM leaky_view' },
    { kind: 'side-effect', analyze: 'never', sql: 'SELECT count(*) FROM leaky_view_of_view' },
    { kind: 'side-effect', analyze: 'harmless', sql: "SELECT set_config('default_transaction_read_only', 'off', false)" },
    { kind: 'side-effect', analyze: 'harmless', sql: "SELECT lo_import('/etc/hostname')" },
    { kind: 'side-effect', analyze: 'harmless', sql: "SELECT pg_notify('" + CHANNEL + "', 'from pglens')" },
    { kind: 'side-effect', analyze: 'rollback', sql: 'SELECT id, price FROM items WHERE id <= 10 FOR UPDATE' },
    { kind: 'side-effect', analyze: 'rollback', sql: 'SELECT id FROM plain WHERE id = $1 FOR SHARE', params: [1] },
    { kind: 'side-effect', analyze: 'rollback', sql: 'SELECT id FROM with_trigger FOR NO KEY UPDATE SKIP LOCKED' },
    // Writes.
    { kind: 'write', analyze: 'rollback', sql: "INSERT INTO plain (id, label) VALUES (100, 'new')" },
    { kind: 'write', analyze: 'rollback', sql: "INSERT INTO plain (id, label) VALUES (101, 'returned') RETURNING id, label" },
    { kind: 'write', analyze: 'rollback', sql: 'INSERT INTO plain (id, label) VALUES ($1, $2)', params: [102, 'param'] },
    { kind: 'write', analyze: 'never', sql: "INSERT INTO items (sku, category, price) VALUES ('new', 1, 9.99)" },
    { kind: 'write', analyze: 'never', sql: "INSERT INTO items (sku, category, price) VALUES ('new', 1, 9.99) RETURNING id" },
    { kind: 'write', analyze: 'never', sql: "INSERT INTO events (kind) VALUES ('signup') RETURNING id" },
    { kind: 'write', analyze: 'never', sql: "INSERT INTO defaulted (label) VALUES ('id from a function default')" },
    { built: true, kind: 'write', analyze: 'never', sql: "INSERT INTO plain (id, label) VALUES (103, leak('inside an INSERT'))" },
    { kind: 'write', analyze: 'never', sql: 'INSERT INTO plain (id, label) SELECT 104, next_ticket()::text' },
    { kind: 'write', analyze: 'rollback', sql: "INSERT INTO plain (id, label) VALUES (1, 'dup') ON CONFLICT (id) DO UPDATE SET label = excluded.label" },
    { kind: 'write', analyze: 'rollback', sql: 'UPDATE items SET price = price * 2 WHERE category = 3' },
    { kind: 'write', analyze: 'rollback', sql: 'UPDATE items SET price = $1 WHERE id = $2', params: [1, 2] },
    { kind: 'write', analyze: 'never', sql: 'UPDATE items SET id = DEFAULT WHERE id = 1' },
    { kind: 'write', analyze: 'never', sql: "UPDATE with_trigger SET label = 'changed' WHERE id = 1" },
    { kind: 'write', analyze: 'never', sql: 'UPDATE plain SET label = bump(2)::text WHERE id = 2' },
    { kind: 'write', analyze: 'rollback', sql: 'DELETE FROM plain WHERE id = 1 RETURNING *' },
    { kind: 'write', analyze: 'rollback', sql: 'DELETE FROM plain WHERE id = $1', params: [4] },
    { kind: 'write', analyze: 'never', sql: 'DELETE FROM with_trigger WHERE id = 2' },
    { kind: 'write', analyze: 'never', sql: 'DELETE FROM parent WHERE id = 1' },
    { kind: 'write', analyze: 'rollback', sql: 'DELETE FROM victim' },
    { kind: 'write', analyze: 'never', sql: "INSERT INTO ruled (id, label) VALUES (1, 'rule fires')" },
    {
      kind: 'write',
      analyze: 'rollback',
      sql: "MERGE INTO plain p USING (VALUES (1, 'm'), (500, 'n')) v(id, label) ON p.id = v.id WHEN MATCHED THEN UPDATE SET label = v.label WHEN NOT MATCHED THEN INSERT VALUES (v.id, v.label)",
    },
    {
      kind: 'write',
      analyze: 'never',
      sql: "MERGE INTO items i USING (VALUES ('sku-1', 5.00), ('fresh', 1.00)) v(sku, price) ON i.sku = v.sku WHEN MATCHED THEN UPDATE SET price = v.price WHEN NOT MATCHED THEN INSERT (sku, category, price) VALUES (v.sku, 0, v.price)",
    },
    { kind: 'write', analyze: 'rollback', sql: 'WITH moved AS (DELETE FROM plain WHERE id < 5 RETURNING *) SELECT count(*) FROM moved' },
    { kind: 'write', analyze: 'never', sql: "WITH added AS (INSERT INTO audit (action) VALUES ('cte') RETURNING id) SELECT id FROM added" },
    { kind: 'write', analyze: 'rollback', sql: "WITH changed AS (UPDATE items SET note = 'cte' WHERE id = 5 RETURNING id) SELECT count(*) FROM changed" },
    // DDL and utility statements: never run, never explained.
    { kind: 'refused', sql: 'TRUNCATE plain' },
    { kind: 'refused', sql: 'DROP TABLE victim' },
    { kind: 'refused', sql: 'DROP INDEX items_pkey' },
    { kind: 'refused', sql: 'CREATE TABLE scratch (id int)' },
    { kind: 'refused', sql: 'CREATE TABLE scratch_copy AS SELECT id FROM plain' },
    { kind: 'refused', sql: 'SELECT id INTO scratch_into FROM plain' },
    { kind: 'refused', sql: 'CREATE INDEX items_sku_idx ON items (sku)' },
    { kind: 'refused', sql: 'ALTER TABLE plain ADD COLUMN extra int' },
    { kind: 'refused', sql: 'ALTER SEQUENCE counter_seq RESTART WITH 500' },
    { kind: 'refused', sql: 'CREATE EXTENSION pg_trgm' },
    { kind: 'refused', sql: 'DROP EXTENSION hypopg' },
    { kind: 'refused', sql: 'VACUUM plain' },
    { kind: 'refused', sql: 'ANALYZE plain' },
    { kind: 'refused', sql: 'REFRESH MATERIALIZED VIEW category_totals' },
    { kind: 'refused', sql: "COPY plain FROM '/etc/hostname'" },
    { kind: 'refused', sql: 'COPY plain TO STDOUT' },
    { kind: 'refused', sql: 'CALL wipe_plain()' },
    { kind: 'refused', sql: 'DO $$ BEGIN DELETE FROM plain; END $$' },
    { kind: 'refused', sql: 'SET default_transaction_read_only = off' },
    { kind: 'refused', sql: 'LOCK TABLE items IN ACCESS EXCLUSIVE MODE' },
    { kind: 'refused', sql: 'NOTIFY ' + CHANNEL + ", 'notify statement'" },
    { kind: 'refused', sql: 'PREPARE wipe AS DELETE FROM plain' },
    { kind: 'refused', sql: 'COMMIT' },
    { kind: 'refused', sql: "COMMENT ON TABLE plain IS 'changed'" },
    { kind: 'refused', sql: 'GRANT SELECT ON plain TO PUBLIC' },
    { kind: 'refused', sql: 'EXPLAIN ANALYZE DELETE FROM plain' },
    // Several statements in one string: the second never runs.
    { built: true, kind: 'multi', sql: 'SELECT 1; DROP TABLE victim' },
    { kind: 'multi', sql: "SELECT 1; INSERT INTO plain (id, label) VALUES (77, 'smuggled')" },
    { kind: 'multi', sql: 'SELECT count(*) FROM items; UPDATE items SET price = 0' },
    { kind: 'multi', sql: "INSERT INTO plain (id, label) VALUES (78, 'first'); SELECT 1" },
    { kind: 'multi', sql: "SELECT 'a\\'; DROP TABLE victim; --'" },
    { kind: 'multi', sql: '/* hi */ SELECT 1;;; DELETE FROM plain' },
    { kind: 'multi', sql: 'SELECT 1; COMMIT; DROP TABLE victim' },
  ];
}

/** The parts a .sql file splits a multi-statement entry into (the corpus has no `;` inside strings but the one below). */
function parts(entry: Entry): string[] {
  if (entry.kind !== 'multi') return [entry.sql];
  return entry.sql.split(';').filter((part) => part.trim() && !part.trim().startsWith('--'));
}

let db: TestDatabase;
let entries: Entry[];
let before: DatabaseState;
let listener: Client;
const notifications: PgNotification[] = [];
let workspace: string;
let sqlText: string;
let tsText: string;
/** Positions to hover and explain: every statement (part) in the .sql file and every query in the .ts file. */
let positions: { uri: string; line: number; character: number; entry: Entry }[];
/** Path → statements tried on it, for the report. */
const tried = new Map<string, number>();
const count = (path: string, n: number) => tried.set(path, (tried.get(path) ?? 0) + n);

beforeAll(async () => {
  await loadParser();
  db = await createTestDatabase(SCHEMA);
  const connstr = `dbname=${db.name} user=postgres host=127.0.0.1 port=5432`;
  await db.client.query(LOOPBACK_FUNCTIONS(connstr));
  await db.client.query('ANALYZE');
  entries = corpus(connstr);

  listener = new Client(db.config);
  await listener.connect();
  listener.on('notification', (message) => notifications.push(message));
  await listener.query(`LISTEN ${CHANNEL}`);

  workspace = mkdtempSync(join(tmpdir(), 'pglens-no-data-change-'));
  mkdirSync(join(workspace, 'src'));
  positions = [];
  const sqlUri = pathToFileURL(join(workspace, 'queries.sql')).href;
  const tsUri = pathToFileURL(join(workspace, 'src', 'queries.ts')).href;
  const sqlLines: string[] = [];
  for (const entry of entries) {
    const line = sqlLines.length;
    let column = 0;
    for (const part of parts(entry)) {
      const offset = entry.sql.indexOf(part, column);
      positions.push({ uri: sqlUri, line, character: offset + part.search(/\S/) + 1, entry });
      column = offset + part.length;
    }
    sqlLines.push(`${entry.sql};`);
  }
  sqlText = `${sqlLines.join('\n')}\n`;
  const tsLines = ['type Db = { query(sql: string, values?: unknown[]): Promise<unknown> };', '', 'export async function everything(db: Db) {'];
  for (const entry of entries) {
    const literal = JSON.stringify(entry.sql);
    const call = `  await db.query(${literal}${entry.params ? `, ${JSON.stringify(entry.params)}` : ''});`;
    positions.push({ uri: tsUri, line: tsLines.length, character: call.indexOf(literal) + 2, entry });
    tsLines.push(call);
  }
  tsLines.push('}', '');
  tsText = tsLines.join('\n');
  writeFileSync(join(workspace, 'queries.sql'), sqlText);
  writeFileSync(join(workspace, 'src', 'queries.ts'), tsText);

  before = await snapshotDatabase(db.client);
}, 60_000);

afterAll(async () => {
  await listener?.end().catch(() => undefined);
  await db?.drop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  const lines = [...tried].map(([path, n]) => `  ${path}: ${n}`);
  console.log(`no-data-change: ${entries?.length} statements; statements tried per path:\n${lines.join('\n')}\n  total: ${[...tried.values()].reduce((a, b) => a + b, 0)}`);
});

/** Waits until no other session of the test database is running a statement (background plans, advice). */
async function quiesce(): Promise<void> {
  const deadline = Date.now() + 10_000;
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    const { rows } = await db.client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state NOT IN ('idle')",
    );
    if (rows[0].n === 0) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= 150) return;
    } else quietSince = undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The state a path started from: one path's damage must not be blamed on the next. */
let baseline: DatabaseState;

async function expectUnchanged(path: string): Promise<void> {
  await quiesce();
  const after = await snapshotDatabase(db.client);
  expect(diffDatabaseStates(baseline, after), `${path} changed the database`).toEqual([]);
  // A NOTIFY reaches the listener only from a committed transaction; give one a moment to arrive.
  await listener.query('SELECT 1');
  expect(notifications.map((n) => n.payload), `${path} sent a notification`).toEqual([]);
  const { rows } = await db.client.query("SELECT to_regclass('victim') IS NOT NULL AS victim, (SELECT count(*)::int FROM plain WHERE id IN (77, 78)) AS smuggled");
  expect(rows[0], `${path}: the second statement of a string ran`).toEqual({ victim: true, smuggled: 0 });
}

/** No lock held by pglens's connections, and a concurrent writer of FOR UPDATE's rows does not wait. */
async function expectNoLocksLeft(path: string): Promise<void> {
  await quiesce();
  expect(await locksHeldByOthers(db.client), `${path} left locks held`).toEqual([]);
  const writer = new Client(db.config);
  await writer.connect();
  try {
    await writer.query('BEGIN');
    await writer.query("SET LOCAL lock_timeout = '2s'");
    await writer.query('UPDATE items SET note = note WHERE id <= 10');
    await writer.query('UPDATE plain SET label = label');
    await writer.query('SELECT pg_advisory_xact_lock(4242)');
  } finally {
    await writer.query('ROLLBACK').catch(() => undefined);
    await writer.end();
  }
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function eachLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `pglens …` in this process (runCli is what dist/cli.js runs), with no PG* or DATABASE_URL in sight. */
async function pglens(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => void (stdout += text), isTTY: false },
    stderr: { write: (text: string) => void (stderr += text), isTTY: false },
    env: { NO_COLOR: '1' },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** The built executable, as users and CI run it. */
function pglensProcess(args: string[], cwd = ROOT): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['FORCE_COLOR', 'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const paramArgs = (entry: Entry) => (entry.params ?? []).flatMap((value) => ['--param', String(value)]);

/** What each kind of statement must get from `pglens explain`, given whether ANALYZE was asked for and writes may roll back. */
function checkExplain(entry: Entry, run: CliRun, mode: 'plain' | 'analyze' | 'rollback'): void {
  const label = `${mode}: ${entry.sql}\n${run.stderr}`;
  if (entry.kind === 'refused') {
    expect(run.code, label).toBe(2);
    expect(run.stderr, label).toMatch(/is not run|not run or explained|creates a table/);
    return;
  }
  if (entry.kind === 'multi') {
    expect(run.code, label).toBe(2);
    expect(run.stderr, label).toMatch(/holds \d+ statements/);
    return;
  }
  if (run.code !== 0) {
    // A plan may fail (a function that errors when planned); it must never be because something ran.
    expect(run.code, label).toBe(2);
    return;
  }
  const output = JSON.parse(run.stdout) as { analyzed: boolean; notes: string[] };
  const mayRun = mode === 'plain' ? false : entry.analyze === 'read' || entry.analyze === 'harmless' || (entry.analyze === 'rollback' && mode === 'rollback');
  if (!mayRun) expect(output.analyzed, `${label}\n${output.notes.join('\n')}`).toBe(false);
  // A plain read must really have been analyzed: otherwise this suite would prove nothing.
  if (entry.analyze === 'read' && mode !== 'plain') expect(output.analyzed, `${label}\n${output.notes.join('\n')}`).toBe(true);
}

describe('no data change, ever, by default', () => {
  beforeEach(async () => {
    baseline = await snapshotDatabase(db.client);
  });

  afterAll(async () => {
    // Whatever each path did, the database ends as it began.
    expect(diffDatabaseStates(before, await snapshotDatabase(db.client))).toEqual([]);
  });

  it('has a corpus worth the name', () => {
    expect(entries.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['read', 'side-effect', 'write', 'refused', 'multi'] as Kind[]) expect(entries.some((e) => e.kind === kind)).toBe(true);
  });

  for (const variant of [
    { name: 'LSP (default settings)', options: {} },
    { name: 'LSP (explain.analyzeWrites "rollback")', options: { explain: { analyzeWrites: 'rollback' } } },
  ]) {
    it(`${variant.name}: hover, explain, explain-analyze, pglens/plan, suggestIndexes`, async () => {
      const client = new LspClient(SERVER);
      try {
        await client.initialize({
          rootUri: pathToFileURL(workspace).href,
          initializationOptions: { debounceMs: 20, databaseUrl: db.url, ...variant.options },
        });
        const [sqlUri, tsUri] = [...new Set(positions.map((p) => p.uri))];
        client.open(sqlUri, sqlText, 1, 'sql');
        client.open(tsUri, tsText, 1, 'typescript');
        await client.diagnostics(sqlUri, 1);
        await client.diagnostics(tsUri, 1);
        count(`${variant.name}: diagnostics (background plans and hypopg advice)`, positions.length);

        const failures: string[] = [];
        /** The `analyze` classes of the statements that did run under EXPLAIN ANALYZE. */
        const analyzed = new Set<string>();
        await eachLimited(positions, 3, async (p) => {
          const where = { textDocument: { uri: p.uri }, position: { line: p.line, character: p.character } };
          await client.request('textDocument/hover', where).catch((e: Error) => failures.push(`hover ${p.entry.sql}: ${e.message}`));
          for (const analyze of [false, true]) {
            const result = await client
              .request<string | null>('workspace/executeCommand', { command: 'pglens.server.explain', arguments: [p.uri, where.position, analyze] })
              .then(
                (markdown) => ({ ok: true as const, markdown }),
                (error: Error) => ({ ok: false as const, message: error.message }),
              );
            const label = `${analyze ? 'explain-analyze' : 'explain'} ${p.uri.endsWith('.ts') ? 'ts' : 'sql'} ${p.entry.sql}`;
            if (p.entry.kind === 'multi') {
              // The language server plans the one statement under the cursor, alone: never the string.
              const sent = result.ok && result.markdown ? /```sql\n([\s\S]*?)\n```/.exec(result.markdown)?.[1] : undefined;
              if (sent !== undefined && parts(p.entry).filter((part) => sent.includes(part.trim())).length !== 1) failures.push(`${label}: sent ${JSON.stringify(sent)}`);
            } else if (p.entry.kind === 'refused') {
              if (result.ok && result.markdown !== null) failures.push(`${label}: planned a refused statement`);
            } else if (result.ok && result.markdown && analyze) {
              const ran = /^### EXPLAIN ANALYZE/.test(result.markdown);
              const rollback = 'explain' in variant.options;
              const mayRun = p.entry.analyze === 'read' || p.entry.analyze === 'harmless' || (p.entry.analyze === 'rollback' && rollback);
              if (ran && !mayRun) failures.push(`${label}: ran EXPLAIN ANALYZE`);
              if (ran) analyzed.add(p.entry.analyze ?? '');
            }
          }
          await client
            .request('pglens/plan', { uri: p.uri, position: where.position, analyze: true })
            .catch(() => undefined);
        });
        count(`${variant.name}: hover`, positions.length);
        count(`${variant.name}: explain`, positions.length);
        count(`${variant.name}: explain-analyze`, positions.length);
        count(`${variant.name}: pglens/plan (analyze)`, positions.length);
        if (!('explain' in variant.options)) {
          await client.request('workspace/executeCommand', { command: 'pglens.server.suggestIndexes', arguments: [] }, 45_000);
          count(`${variant.name}: suggestIndexes (workspace advisor)`, positions.length);
        }
        expect.soft(failures).toEqual([]);
        // The paths really ran things: reads read-only, and writes rolled back where the settings allow.
        expect([...analyzed].sort()).toEqual('explain' in variant.options ? ['harmless', 'read', 'rollback'] : ['harmless', 'read']);
        await expectNoLocksLeft(variant.name);
        await expectUnchanged(variant.name);
      } finally {
        await client.shutdown().catch(() => client.kill());
      }
    }, 60_000);
  }

  it('CLI explain, explain --analyze, explain --analyze --analyze-writes rollback (in process)', async () => {
    for (const mode of ['plain', 'analyze', 'rollback'] as const) {
      const flags = mode === 'plain' ? [] : mode === 'analyze' ? ['--analyze'] : ['--analyze', '--analyze-writes', 'rollback'];
      const runs = await eachLimited(entries, 4, (entry) =>
        pglens(['explain', '--db', db.url, '--format', 'json', '--fail-on', 'never', ...flags, ...paramArgs(entry), '--sql', entry.sql]),
      );
      entries.forEach((entry, i) => checkExplain(entry, runs[i], mode));
      count(`CLI explain${flags.length ? ` ${flags.join(' ')}` : ''}`, entries.length);
      await expectUnchanged(`CLI explain (${mode})`);
    }
  }, 60_000);

  it('CLI advise --sql (hypopg, in process)', async () => {
    await eachLimited(entries, 4, async (entry) => {
      const run = await pglens(['advise', '--db', db.url, '--format', 'json', ...paramArgs(entry), '--sql', entry.sql]);
      if (entry.kind === 'refused' || entry.kind === 'multi') expect(run.code, `${entry.sql}\n${run.stderr}`).toBe(2);
    });
    count('CLI advise --sql', entries.length);
    await expectUnchanged('CLI advise --sql');
  }, 60_000);

  it('advisor API in hypopg mode and in transaction mode (rolled-back builds)', async () => {
    const database = new PostgresDatabase(db.config, { max: 1 });
    try {
      const catalog = await DatabaseCatalog.load(database);
      for (const method of ['hypopg', 'transaction'] as const) {
        let verified = 0;
        for (const entry of entries) {
          const outcome = await adviseQuery(database, entry.sql, { catalog, method, params: entry.params });
          if (entry.kind === 'refused') expect(outcome, entry.sql).toMatchObject({ ok: false, reason: 'not-advisable' });
          if (entry.kind === 'multi') expect(outcome, entry.sql).toMatchObject({ ok: false, reason: 'multiple-statements' });
          if (outcome.ok && outcome.plannerCalls > 1) verified++;
        }
        // Candidates were really tried (indexes built and rolled back in transaction mode).
        expect(verified, method).toBeGreaterThan(3);
        count(`advisor API (${method})`, entries.length);
        await expectNoLocksLeft(`advisor API (${method})`);
        await expectUnchanged(`advisor API (${method})`);
      }
    } finally {
      await database.end();
    }
  }, 60_000);

  it('the built CLI: check and advise --workspace over the corpus files, explain of the riskiest statements', async () => {
    const risky = entries.filter((e) => e.built);
    // Three processes at a time: each spends most of its life starting up and waiting on the database.
    const [check, advise, ...runs] = await eachLimited(
      [
        ['check', '--db', db.url, '--format', 'json', '--fail-on', 'never', workspace],
        ['advise', '--db', db.url, '--format', 'json', '--workspace', workspace],
        ...risky.map((entry) => ['explain', '--db', db.url, '--format', 'json', '--fail-on', 'never', '--analyze', '--analyze-writes', 'rollback', ...paramArgs(entry), '--sql', entry.sql]),
      ],
      3,
      (args) => pglensProcess(args),
    );
    expect(check.code, check.stderr).toBe(0);
    count('CLI check --db (built, .sql + .ts)', positions.length);
    expect(advise.code, advise.stderr).toBe(0);
    expect(advise.stderr).toMatch(/advised on \d+ queries \(\d+ planner calls\)/);
    count('CLI advise --workspace (built)', positions.length);
    risky.forEach((entry, i) => checkExplain(entry, runs[i], 'rollback'));
    count('CLI explain --analyze --analyze-writes rollback (built)', risky.length);
    await expectUnchanged('built CLI');
  }, 60_000);
});
