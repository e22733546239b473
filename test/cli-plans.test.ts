import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../server/src/finding';
import { closedPort } from './db/tcp';
import { createTestDatabase, SHOP_SCHEMA, type TestDatabase } from './db/test-database';

/**
 * `pglens explain` and `pglens check` with plans: the built CLI against the real local PostgreSQL
 * (100k users, 150k orders in a scratch database), and once against the embedded sandbox.
 */
const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'plan-workspace');

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(SHOP_SCHEMA);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

function pglens(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
  const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['FORCE_COLOR', 'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD']) if (!env[name]) delete clean[name];
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, env: clean, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every row of both tables and both sequences, as one value that changes if anything does. */
async function fingerprint(): Promise<string> {
  const { rows } = await db.client.query(`
    SELECT (SELECT md5(string_agg(u::text, ',' ORDER BY id)) FROM users u) AS users,
           (SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o) AS orders,
           (SELECT last_value || '/' || is_called FROM users_id_seq) AS users_seq,
           (SELECT last_value || '/' || is_called FROM orders_id_seq) AS orders_seq`);
  return JSON.stringify(rows[0]);
}

describe('pglens explain', () => {
  it('prints the plan and its findings, and exits 1 on a warning like check', () => {
    const run = pglens(['explain', '--db', db.url, '--sql', "SELECT id, total FROM orders WHERE status = 'paid'"]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^EXPLAIN on ${db.name}@127\\.0\\.0\\.1, PostgreSQL 15\\.\\d+\\n`));
    expect(run.stdout).toMatch(/^Seq Scan on orders {2}\(cost=[\d.]+\.\.[\d.]+ rows=\d+ width=\d+\)$/m);
    expect(run.stdout).toMatch(/^warning seq-scan Sequential scan on orders reads ~150,000 rows/m);
    expect(run.status).toBe(1);
    expect(pglens(['explain', '--db', db.url, '--fail-on', 'never', '--sql', 'SELECT email FROM users WHERE id = 7']).status).toBe(0);
  });

  it('runs --analyze of an UPDATE or INSERT only as plain EXPLAIN unless --analyze-writes rollback, and changes nothing either way', async () => {
    const before = await fingerprint();
    const update = "UPDATE orders SET total = total + 1, note = 'touched' WHERE status = 'new'";
    const plain = pglens(['explain', '--db', db.url, '--analyze', '--fail-on', 'never', '--sql', update]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^EXPLAIN on /);
    expect(plain.stdout).toContain('note: ANALYZE was not run because it would execute the UPDATE; pass --analyze-writes rollback');
    expect(plain.stdout).not.toMatch(/actual time=/);
    expect(await fingerprint()).toBe(before);

    const rolledBack = pglens(['explain', '--db', db.url, '--analyze', '--analyze-writes', 'rollback', '--fail-on', 'never', '--sql', update]);
    expect(rolledBack.status).toBe(0);
    expect(rolledBack.stdout).toMatch(/^EXPLAIN ANALYZE on /);
    expect(rolledBack.stdout).toMatch(/^Update on orders .*\(actual time=[\d.]+\.\.[\d.]+ rows=0 loops=1\)$/m);
    expect(await fingerprint()).toBe(before);

    // An INSERT would draw from the identity sequence, which no ROLLBACK gives back: never run.
    const insert = pglens(['explain', '--db', db.url, '--analyze', '--analyze-writes', 'rollback', '--fail-on', 'never', '--sql', "INSERT INTO orders (user_id, status, total) VALUES (1, 'new', 5)"]);
    expect(insert.status).toBe(0);
    expect(insert.stdout).toMatch(/note: ANALYZE was not run: the INSERT would take a value from a sequence/);
    expect(await fingerprint()).toBe(before);
  });

  it('explains the query at FILE:LINE, as JSON with its place in the file, and as an HTML page', () => {
    const json = pglens(['explain', '--db', db.url, '--format', 'json', 'src/orders.ts:6'], FIXTURE);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { version: number; query: string; sandbox: boolean; plan: unknown; findings: (Finding & { node: unknown })[] };
    expect(report).toMatchObject({ version: 1, query: 'SELECT id, user_id FROM orders WHERE total > $1 ORDER BY total DESC', sandbox: false });
    const line = 'const { rows } = await pool.query(`SELECT id, user_id FROM orders WHERE total > ${minimum} ORDER BY total DESC`);';
    const column = 2 + line.indexOf('orders WHERE');
    expect(report.findings).toEqual([
      expect.objectContaining({ code: 'seq-scan', file: 'src/orders.ts', range: { start: { line: 5, character: column }, end: { line: 5, character: column + 6 } } }),
    ]);

    const html = pglens(['explain', '--db', db.url, '--format', 'html', '--fail-on', 'never', 'queries.sql:2'], FIXTURE);
    expect(html.status).toBe(0);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).toContain('Seq Scan');
  });

  it('says what is wrong, with exit 2: a file of several queries, a missing table, a database that is not there', async () => {
    const several = pglens(['explain', '--db', db.url, 'queries.sql'], FIXTURE);
    expect(several).toMatchObject({ status: 2, stdout: '' });
    expect(several.stderr).toBe('pglens explain: queries.sql holds 3 statements (at lines 2, 4, 7); name one as queries.sql:LINE.\n');

    const missing = pglens(['explain', '--db', db.url, '--sql', 'SELECT * FROM invoices']);
    expect(missing).toMatchObject({ status: 2, stderr: 'pglens explain: PostgreSQL could not plan the query: relation "invoices" does not exist.\n' });

    const port = await closedPort();
    const down = pglens(['explain', '--db', `postgresql://postgres:hunter2@127.0.0.1:${port}/shop`, '--sql', 'SELECT 1']);
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/^pglens explain: cannot use the database from --db \(postgres@127\.0\.0\.1:\d+\/shop\): Nothing is listening on 127\.0\.0\.1:\d+ \(connection refused\); start PostgreSQL or fix the host and port\.\n$/);
    expect(down.stderr).not.toContain('hunter2');

    const nothing = pglens(['explain', '--sql', 'SELECT 1'], FIXTURE);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/there is no database to plan on; pass --db/);
  });
});

describe('pglens check with a database', () => {
  it('adds seq-scan findings on the table names to the static ones; --no-db turns plans off', () => {
    const run = pglens(['check', '.', '--db', db.url, '--format', 'json'], FIXTURE);
    expect(run.stderr).toBe('');
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    const scans = findings.filter((f) => f.code === 'seq-scan');
    expect(scans.map((f) => [f.file, f.range.start.line, f.range.start.character])).toEqual([
      ['queries.sql', 1, 22],
      ['src/orders.ts', 5, expect.any(Number)],
    ]);
    expect(run.status).toBe(1);

    const text = pglens(['check', '.', '--db', db.url], FIXTURE);
    expect(text.stdout).toContain("queries.sql:2:23 warning seq-scan Sequential scan on orders reads ~150,000 rows to keep those matching (status = 'paid'::text)");

    const off = pglens(['check', '.', '--no-db', '--format', 'json'], FIXTURE);
    expect((JSON.parse(off.stdout) as { findings: Finding[] }).findings.filter((f) => f.code === 'seq-scan')).toEqual([]);
  });

  it('reads databaseUrl from DATABASE_URL in the environment, and stops with exit 2 when it cannot connect', async () => {
    const fromEnv = pglens(['check', '.', '--format', 'json'], FIXTURE, { DATABASE_URL: db.url });
    expect((JSON.parse(fromEnv.stdout) as { findings: Finding[] }).findings.some((f) => f.code === 'seq-scan')).toBe(true);
    const port = await closedPort();
    const down = pglens(['check', '.'], FIXTURE, { DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/shop` });
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/^pglens check: cannot use the database from the DATABASE_URL environment variable .*connection refused.*\nRun with --no-db to check without plans\.\n$/);
  });
});

describe('pglens check examples/shop (the embedded sandbox)', () => {
  it('builds the sandbox from the migrations with progress on stderr, and prints seq scans from it', () => {
    const started = performance.now();
    const run = pglens(['check', 'examples/shop', '--format', 'json']);
    const seconds = (performance.now() - started) / 1000;
    expect(run.stderr).toMatch(/^pglens: sandbox: Starting the embedded database \(PGlite\)…$/m);
    expect(run.stderr).toMatch(/^pglens: sandbox: Ready: sandbox \(PGlite, PostgreSQL 18\) built from 4 migrations, [\d,]+ synthetic rows \([\d.]+ s\)$/m);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    const scans = findings.filter((f) => f.code === 'seq-scan').map((f) => `${f.file}:${f.range.start.line + 1}`);
    expect(scans).toEqual(expect.arrayContaining(['examples/shop/src/orders.ts:16', 'examples/shop/src/order-items.ts:21']));
    // Primary-key and unique lookups plan as index scans.
    expect(findings.filter((f) => f.code === 'seq-scan' && /users\.ts/.test(f.file) && /getUserById|email/.test(f.message))).toEqual([]);
    console.info(`pglens check examples/shop with the sandbox: ${seconds.toFixed(1)} s, ${scans.length} seq-scan findings`);
  }, 180_000);

  it('says what to do when a migration needs an encoding conversion, which the built sandbox leaves out', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'pglens-encoding-'));
    try {
      mkdirSync(join(workspace, 'migrations'));
      writeFileSync(join(workspace, 'migrations', '001_legacy.sql'), "SET client_encoding = 'LATIN1';\nCREATE TABLE legacy (id int PRIMARY KEY);\n");
      writeFileSync(join(workspace, 'migrations', '002_notes.sql'), 'CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);\n');
      writeFileSync(join(workspace, 'notes.sql'), 'SELECT id FROM notes WHERE id = 1;\n');
      const run = pglens(['check', workspace]);
      expect(run.stderr).toMatch(/001_legacy\.sql failed at line 1: could not load library "[^"]*utf8_and_iso8859_1\.so"[^\n]*The sandbox leaves out PostgreSQL’s encoding conversions/);
      // The other migrations still build the sandbox.
      expect(run.stderr).toMatch(/Ready: sandbox \(PGlite, PostgreSQL 18\) built from 1 of 2 migrations/);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }, 120_000);
});
