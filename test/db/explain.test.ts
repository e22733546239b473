import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExplainRunner, type ExplainOutcome, type ExplainSuccess } from '../../server/src/db/explain';
import { PostgresDatabase } from '../../server/src/db/postgres-database';
import { parsePlan } from '../../server/src/plan/parse';
import { parseSql } from '../../server/src/sql/parse';
import { createTestDatabase, SHOP_SCHEMA, type TestDatabase } from './test-database';

let testDb: TestDatabase;
let database: PostgresDatabase;
let runner: ExplainRunner;

const EXTRA_SCHEMA = `
CREATE TABLE audit (id serial PRIMARY KEY, note text);
CREATE TABLE watched (id int PRIMARY KEY, value int);
INSERT INTO watched SELECT g, g FROM generate_series(1, 100) g;
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (note) VALUES ('changed'); RETURN NEW; END $$;
CREATE TRIGGER watched_log AFTER UPDATE ON watched FOR EACH ROW EXECUTE FUNCTION log_change();
CREATE FUNCTION sneaky_write() RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (note) VALUES ('sneaky'); RETURN 1; END $$;
`;

beforeAll(async () => {
  testDb = await createTestDatabase(SHOP_SCHEMA + EXTRA_SCHEMA);
  database = new PostgresDatabase(testDb.config);
  runner = new ExplainRunner(database, { schemaCheckIntervalMs: 0 });
}, 60_000);

afterAll(async () => {
  await database?.end();
  await testDb?.drop();
});

function ok(outcome: ExplainOutcome): ExplainSuccess {
  if (!outcome.ok) throw new Error(`expected a plan, got ${outcome.reason}: ${outcome.message}`);
  return outcome;
}

function rootOf(outcome: ExplainOutcome) {
  const parsed = parsePlan(ok(outcome).json);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.plan.root;
}

/** Every row of a table, hashed in primary-key order: any change to any row changes it. */
async function checksum(table: string): Promise<string> {
  const { rows } = await testDb.client.query(`SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) AS sum, count(*)::int AS n FROM ${table} t`);
  return `${rows[0].n}:${rows[0].sum}`;
}

async function sequenceState(table: string, column = 'id'): Promise<string> {
  const { rows: seq } = await testDb.client.query(`SELECT pg_get_serial_sequence($1, $2) AS name`, [table, column]);
  const { rows } = await testDb.client.query(`SELECT last_value, is_called FROM ${seq[0].name}`);
  return `${rows[0].last_value}/${rows[0].is_called}`;
}

async function snapshot(): Promise<string[]> {
  const states: string[] = [];
  for (const table of ['users', 'orders', 'tiny', 'audit', 'watched']) states.push(await checksum(table));
  for (const table of ['users', 'orders', 'audit']) states.push(await sequenceState(table));
  return states;
}

describe('EXPLAIN of reads', () => {
  it('plans a SELECT under READ ONLY and returns the plan JSON', async () => {
    const outcome = ok(await runner.explain("SELECT * FROM orders WHERE status = 'paid'"));
    expect(outcome.analyzed).toBe(false);
    expect(outcome.statementKind).toBe('read');
    expect(rootOf(outcome).nodeType).toBe('Seq Scan');
  });

  it('runs ANALYZE for SELECTs with actual rows and buffers', async () => {
    const outcome = ok(await runner.explain('SELECT count(*) FROM orders WHERE user_id = 42', { analyze: true }));
    expect(outcome.analyzed).toBe(true);
    const root = rootOf(outcome);
    expect(root.actual?.loops).toBe(1);
    expect(root.buffers).toBeDefined();
  });

  it('stops ANALYZE of a SELECT whose function writes, and shows the estimate without writing', async () => {
    const before = await snapshot();
    const outcome = ok(await runner.explain('SELECT sneaky_write()', { analyze: true }));
    expect(outcome.analyzed).toBe(false);
    // Refused before it runs: a volatile function of the database's own may act outside the transaction.
    expect(outcome.analyzeSkipped).toMatch(/it calls sneaky_write\(\), a volatile function defined in the database/);
    expect(await snapshot()).toEqual(before);
  });

  it('does not ANALYZE a SELECT that calls nextval', async () => {
    const before = await sequenceState('users');
    const outcome = ok(await runner.explain("SELECT nextval('users_id_seq')", { analyze: true }));
    expect(outcome.analyzed).toBe(false);
    expect(outcome.analyzeSkipped).toMatch(/nextval\(\).*sequences do not roll back/);
    expect(await sequenceState('users')).toBe(before);
  });
});

describe('refusals', () => {
  it('refuses a multi-statement string and leaves the table in place', async () => {
    const outcome = await runner.explain('SELECT 1; DROP TABLE tiny');
    expect(outcome).toMatchObject({ ok: false, reason: 'multiple-statements' });
    const { rows } = await testDb.client.query("SELECT to_regclass('tiny') IS NOT NULL AS present, (SELECT count(*)::int FROM tiny) AS n");
    expect(rows[0]).toEqual({ present: true, n: 50 });
  });

  it('uses a statement parsed beforehand only for its own exact text', async () => {
    const document = parseSql("SELECT count(*) FROM tiny; SELECT * FROM tiny WHERE label = 'a'");
    if (!document.ok) throw new Error('does not parse');
    const [first, second] = document.statements;
    // The second statement's parse handed over with other text: the text is parsed (and refused) as it is.
    const smuggled = await runner.explain('SELECT 1; DROP TABLE tiny', { statement: second, cache: false });
    expect(smuggled).toMatchObject({ ok: false, reason: 'multiple-statements' });
    const wrong = ok(await runner.explain("SELECT * FROM tiny WHERE label = 'a'", { statement: first, cache: false }));
    expect(JSON.stringify(wrong.json)).toContain("'a'::text");
    const own = ok(await runner.explain("SELECT * FROM tiny WHERE label = 'a'", { statement: second, cache: false }));
    expect(own.json).toEqual(wrong.json);
    const { rows } = await testDb.client.query("SELECT to_regclass('tiny') IS NOT NULL AS present");
    expect(rows[0]).toEqual({ present: true });
  });

  it('explains text with backslashes and non-ASCII characters as written (extended protocol)', async () => {
    const outcome = ok(await runner.explain("SELECT * FROM tiny WHERE label = E'\\'' OR label = 'München\\'", { cache: false }));
    expect(JSON.stringify(outcome.json)).toContain('München');
  });

  it.each([
    ['DROP TABLE tiny', /DROP is not run/],
    ['CREATE INDEX ON tiny (label)', /CREATE INDEX is not run/],
    ['TRUNCATE tiny', /TRUNCATE is not run/],
    ['SELECT * INTO tiny_copy FROM tiny', /SELECT INTO creates a table/],
    ['EXPLAIN SELECT 1', /EXPLAIN/],
    ['VACUUM tiny', /VACUUM is not run/],
  ])('never runs DDL or utility statements: %s', async (sql, message) => {
    const outcome = await runner.explain(sql, { analyze: true, analyzeWrites: 'rollback' });
    expect(outcome).toMatchObject({ ok: false, reason: 'not-explainable' });
    expect(!outcome.ok && outcome.message).toMatch(message);
    expect(await checksum('tiny')).toMatch(/^50:/);
    const { rows } = await testDb.client.query("SELECT to_regclass('tiny_copy') AS copy");
    expect(rows[0].copy).toBeNull();
  });

  it('reports syntax errors and unknown tables with a position', async () => {
    expect(await runner.explain('SELEC 1')).toMatchObject({ ok: false, reason: 'syntax' });
    const missing = await runner.explain('SELECT * FROM nope');
    expect(missing).toMatchObject({ ok: false, reason: 'database-error', sqlState: '42P01', offset: 14 });
    expect(!missing.ok && missing.message).toMatch(/relation "nope" does not exist/);
  });
});

describe('writes', () => {
  it('gets plain EXPLAIN by default, even when ANALYZE is asked for, and changes nothing', async () => {
    const before = await snapshot();
    for (const sql of ["INSERT INTO tiny VALUES (999, 'x')", 'UPDATE orders SET total = 0', 'DELETE FROM orders', 'WITH gone AS (DELETE FROM tiny RETURNING *) SELECT count(*) FROM gone']) {
      const outcome = ok(await runner.explain(sql, { analyze: true }));
      expect(outcome.statementKind).toBe('write');
      expect(outcome.analyzed).toBe(false);
      expect(outcome.analyzeSkipped).toMatch(/would execute the .*analyzeWrites to "rollback"/);
      expect(rootOf(outcome).actual).toBeUndefined();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('EXPLAIN ANALYZE with analyzeWrites "rollback" leaves every row and sequence exactly as before', async () => {
    const before = await snapshot();
    const statements = [
      'UPDATE orders SET total = total + 1 WHERE user_id < 5000',
      "DELETE FROM orders WHERE status = 'cancelled'",
      "INSERT INTO tiny (id, label) SELECT g, 'new' FROM generate_series(1000, 1999) g",
      "INSERT INTO users (id, email, country) VALUES (200001, 'given-id@example.com', 'de')",
      'MERGE INTO tiny t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET label = \'merged\'',
    ];
    for (const sql of statements) {
      const outcome = ok(await runner.explain(sql, { analyze: true, analyzeWrites: 'rollback' }));
      expect(outcome.analyzed, sql).toBe(true);
      expect(rootOf(outcome).actual?.loops, sql).toBe(1);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses ANALYZE where a rollback would not undo everything, and says why', async () => {
    const before = await snapshot();
    const cases: [string, RegExp][] = [
      ["INSERT INTO users (email, country) VALUES ('serial@example.com', 'de')", /sequence \(column id\)/],
      ["INSERT INTO orders (user_id, status, total) VALUES (1, 'new', 1)", /sequence \(column id\)/],
      ["INSERT INTO users VALUES (DEFAULT, 'd@example.com', 'n', 'de')", /sequence \(column id\)/],
      ["UPDATE tiny SET id = nextval('users_id_seq') WHERE id = 1", /calls nextval\(\)/],
      ['UPDATE watched SET value = value + 1', /has triggers/],
      ["INSERT INTO audit DEFAULT VALUES", /sequence \(column id\)/],
    ];
    for (const [sql, reason] of cases) {
      const outcome = ok(await runner.explain(sql, { analyze: true, analyzeWrites: 'rollback' }));
      expect(outcome.analyzed, sql).toBe(false);
      expect(outcome.analyzeSkipped, sql).toMatch(reason);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('parameters', () => {
  it('plans $n generically on PostgreSQL 15 (PREPARE + force_generic_plan) and cleans up', async () => {
    // One connection, so the check below looks at the very session that prepared the statement.
    const single = new PostgresDatabase(testDb.config, { max: 1 });
    try {
      const outcome = ok(await new ExplainRunner(single).explain('SELECT * FROM users WHERE id = $1'));
      expect(outcome.genericPlan).toBe(true);
      const root = rootOf(outcome);
      expect(root.nodeType).toBe('Index Scan');
      expect(root.indexCond).toBe('(id = $1)');
      const stale = await single.withSession((s) => s.query<{ n: number; pid: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements'));
      expect(stale.rows[0].n).toBe(0);
    } finally {
      await single.end();
    }
  });

  it('runs ANALYZE with the values given', async () => {
    const outcome = ok(await runner.explain('SELECT * FROM orders WHERE user_id = $1 AND status = $2', { analyze: true, params: [42, 'paid'] }));
    expect(outcome.analyzed).toBe(true);
    expect(JSON.stringify(outcome.json)).toContain('42');
  });

  it('samples values from the compared columns when none are given', async () => {
    const outcome = ok(await runner.explain('SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1 AND o.status = $2', { analyze: true }));
    expect(outcome.analyzed).toBe(true);
    expect(outcome.notes).toEqual([expect.stringMatching(/^\$1 = user\d+@example.com \(sampled from users.email\)$/), expect.stringMatching(/^\$2 = \w+ \(sampled from orders.status\)$/)]);
  });

  it('refuses ANALYZE with a clear reason when a value cannot be sampled', async () => {
    const outcome = ok(await runner.explain('SELECT * FROM orders LIMIT $1', { analyze: true }));
    expect(outcome.analyzed).toBe(false);
    expect(outcome.genericPlan).toBe(true);
    expect(outcome.analyzeSkipped).toMatch(/needs a value for \$1/);
  });
});

describe('timeouts and cancellation', () => {
  it('plans with timeouts other than the connection’s inside a transaction that sets them', async () => {
    const outcome = ok(await runner.explain("SELECT * FROM orders WHERE status = 'new'", { statementTimeoutMs: 1234, lockTimeoutMs: 99, cache: false }));
    expect(rootOf(outcome)).toMatchObject({ nodeType: 'Index Scan', index: 'orders_open_idx' });
    // The connection keeps its own defaults afterwards.
    const settings = await database.withSession((s) => s.query<{ st: string; lt: string; ro: string }>(
      "SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('transaction_read_only') AS ro",
    ));
    expect(settings.rows[0]).toEqual({ st: '5s', lt: '1s', ro: 'on' });
  });

  it('stops a long statement at the statement timeout', async () => {
    const outcome = await runner.explain('SELECT pg_sleep(5)', { analyze: true, statementTimeoutMs: 200 });
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('cancels the running query on the server when aborted, and resolves promptly', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = runner.explain('SELECT pg_sleep(20)', { analyze: true, statementTimeoutMs: 30_000, signal: controller.signal });
    await waitFor(async () => (await sleepers()) > 0);
    controller.abort();
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(5_000);
    await waitFor(async () => (await sleepers()) === 0);
    expect(await sleepers()).toBe(0);
  });

  it('returns at once when already aborted', async () => {
    const outcome = await runner.explain('SELECT 1', { signal: AbortSignal.abort() });
    expect(outcome).toMatchObject({ ok: false, reason: 'cancelled' });
  });
});

describe('plan cache', () => {
  it('serves a repeated statement from the cache, ignoring white space and comments but not constants', async () => {
    const first = ok(await runner.explain("SELECT id FROM users WHERE country = 'fr'"));
    expect(first.fromCache).toBe(false);
    const again = ok(await runner.explain("select   id from users -- again\n where country = 'fr'"));
    expect(again.fromCache).toBe(true);
    expect(again.json).toEqual(first.json);
    const other = ok(await runner.explain("SELECT id FROM users WHERE country = 'jp'"));
    expect(other.fromCache).toBe(false);
  });

  it('is invalidated by a migration (new index) and by ANALYZE', async () => {
    const sql = "SELECT * FROM users WHERE name = 'User 77'";
    expect(rootOf(await runner.explain(sql)).nodeType).toMatch(/Seq Scan|Gather/);
    expect(ok(await runner.explain(sql)).fromCache).toBe(true);
    await testDb.client.query('CREATE INDEX users_name_idx ON users (name)');
    const afterIndex = ok(await runner.explain(sql));
    expect(afterIndex.fromCache).toBe(false);
    expect(rootOf(afterIndex).index ?? rootOf(afterIndex).children[0]?.index).toBe('users_name_idx');
    await testDb.client.query('ANALYZE users');
    expect(ok(await runner.explain(sql)).fromCache).toBe(false);
    await testDb.client.query('DROP INDEX users_name_idx');
  });
});

async function sleepers(): Promise<number> {
  const { rows } = await testDb.client.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()",
  );
  return rows[0].n;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
