import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQuery, type AdviseOptions } from '../../server/src/advisor/advise';
import { indexSuggestionFinding, migrationComment } from '../../server/src/advisor/finding';
import type { Advice } from '../../server/src/advisor/suggestion';
import { analyzeDocument } from '../../server/src/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/config';
import { DatabaseCatalog } from '../../server/src/db/catalog';
import { PostgresDatabase } from '../../server/src/db/postgres-database';
import { migrationFixes, planMigration } from '../../server/src/migrations/write';
import { loadParser } from '../../server/src/sql/parse';
import { LineIndex } from '../../server/src/text/line-index';
import type { TestDatabase } from '../db/test-database';
import { tempWorkspace } from '../migrations/workspace';
import { createShopDatabase, indexNames } from './shop-data';

/**
 * The advisor with hypopg on 1M skewed orders: each kind of index where it is the right one, the
 * queries no index helps, and nothing left behind in the database. One pooled connection, so the
 * hypothetical indexes of that backend can be listed afterwards.
 */
let testDb: TestDatabase;
let database: PostgresDatabase;
let catalog: DatabaseCatalog;
let indexesBefore: string[];

beforeAll(async () => {
  await loadParser();
  testDb = await createShopDatabase();
  database = new PostgresDatabase(testDb.config, { max: 1 });
  catalog = await DatabaseCatalog.load(database);
  indexesBefore = await indexNames((sql) => testDb.client.query(sql));
}, 90_000);

afterAll(async () => {
  await database?.end();
  await testDb?.drop();
});

async function advise(sql: string, options: AdviseOptions = {}): Promise<Advice> {
  const outcome = await adviseQuery(database, sql, { catalog, settings: { createHypopg: true }, ...options });
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
  return outcome;
}

async function nothingLeftBehind(): Promise<void> {
  expect(await indexNames((sql) => testDb.client.query(sql))).toEqual(indexesBefore);
  // The advisor's own backend (the pool holds one connection): no hypothetical index, no prepared statement.
  const { rows } = await database.query<{ hypothetical: number; prepared: number }>(
    'SELECT (SELECT count(*) FROM hypopg_list_indexes)::int AS hypothetical, (SELECT count(*) FROM pg_prepared_statements)::int AS prepared',
  );
  expect(rows[0]).toEqual({ hypothetical: 0, prepared: 0 });
}

describe('each kind of index, where it is the right one', () => {
  it('single: one column for an equality on a column of many values', async () => {
    const advice = await advise('SELECT * FROM orders WHERE customer_id = $1');
    expect(advice.method).toBe('hypopg');
    expect(advice.suggestions.map((s) => [s.kind, s.ddl])).toEqual([['single', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)']]);
    const [s] = advice.suggestions;
    expect(s.verifiedBy).toBe('hypopg');
    expect(s.costAfter).toBeLessThan(s.costBefore * 0.01);
    expect(s.sizeBytes).toBeGreaterThan(10_000_000);
    expect(advice.notes.join(' ')).toContain('Generic plan');
  });

  it('composite: the equality column, then the range column', async () => {
    const advice = await advise("SELECT * FROM orders WHERE customer_id = $1 AND created_at > now() - interval '30 days'");
    expect(advice.suggestions.map((s) => [s.kind, s.ddl])).toEqual([
      ['composite', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at)'],
    ]);
  });

  it('partial: the 1% of pending orders, in the order the query wants, at a fraction of a full index', async () => {
    const advice = await advise("SELECT id, total FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 20");
    // status need not be stored: the index's WHERE implies it.
    expect(advice.suggestions.map((s) => [s.kind, s.ddl])).toEqual([
      ['partial', "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_pending_idx ON orders (created_at) INCLUDE (id, total) WHERE status = 'pending'"],
    ]);
    expect(advice.suggestions[0].sizeBytes).toBeLessThan(2_000_000);
  });

  it('covering: INCLUDE the narrow columns a range aggregate reads, for an index-only scan', async () => {
    const advice = await advise("SELECT customer_id, sum(total) FROM orders WHERE created_at >= now() - interval '7 days' GROUP BY customer_id");
    expect(advice.suggestions.map((s) => [s.kind, s.ddl])).toEqual([
      ['covering', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at) INCLUDE (customer_id, total)'],
    ]);
  });

  it('expression: lower(email) for a case-insensitive lookup the unique index on email cannot serve', async () => {
    const advice = await advise('SELECT id, email FROM customers WHERE lower(email) = lower($1)');
    expect(advice.suggestions.map((s) => [s.kind, s.ddl])).toEqual([
      ['expression', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_lower_email_idx ON customers (lower(email))'],
    ]);
  });

  it('the join key of the inner side of a nested loop', async () => {
    const advice = await advise('SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1');
    expect(advice.suggestions.map((s) => s.ddl)).toEqual(['CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)']);
    expect(advice.suggestions[0].relation).toEqual({ schema: 'public', name: 'orders', alias: 'o' });
  });

  it('plans with parameter values when given', async () => {
    const advice = await advise('SELECT id FROM orders WHERE status = $1 ORDER BY created_at LIMIT 20', { params: ['pending'] });
    expect(advice.notes).toEqual([]);
    expect(advice.suggestions.map((s) => s.ddl)).toEqual(['CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_at_idx ON orders (status, created_at) INCLUDE (id)']);
  });
});

describe('queries no index helps', () => {
  it('a filter that keeps 60% of the table: tried, and refused', async () => {
    const advice = await advise("SELECT id FROM orders WHERE status = 'shipped'");
    expect(advice.candidates).toBeGreaterThan(0);
    expect(advice.plannerCalls).toBeGreaterThan(2);
    expect(advice.suggestions).toEqual([]);
  });

  it('a full-table aggregate and a primary-key lookup: nothing to try', async () => {
    for (const sql of ['SELECT status, count(*) FROM orders GROUP BY status', 'SELECT * FROM customers WHERE id = $1', 'SELECT count(*) FROM orders']) {
      const advice = await advise(sql);
      expect(advice.suggestions).toEqual([]);
      expect(advice.plannerCalls).toBe(0);
    }
  });

  it('filters an existing index serves in another key order: seen with enable_seqscan off, no candidate tried', async () => {
    const advice = await advise('SELECT id FROM customers WHERE name = $1 AND country = $2');
    expect(advice.suggestions).toEqual([]);
    // The plan, the plan without sequential scans, and no trial.
    expect(advice.plannerCalls).toBe(2);
  });
});

describe('nothing is left in the database', () => {
  it('after every query above', async () => {
    await nothingLeftBehind();
  });

  it('when hypopg refuses a candidate (a non-immutable expression), which is reported, not guessed', async () => {
    const advice = await advise("SELECT id FROM orders WHERE date_trunc('day', created_at) = $1");
    expect(advice.suggestions).toEqual([]);
    expect(advice.unverified.map((u) => u.reason).join(' ')).toContain('IMMUTABLE');
    await nothingLeftBehind();
  });

  it('when the advice is cancelled part-way', async () => {
    const controller = new AbortController();
    const running = adviseQuery(database, 'SELECT id, total, status FROM orders WHERE customer_id = $1 AND created_at > $2 ORDER BY created_at LIMIT 5', {
      catalog,
      settings: { createHypopg: true },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 15);
    const outcome = await running;
    expect(outcome.ok || outcome.reason === 'cancelled').toBe(true);
    await nothingLeftBehind();
  });
});

describe('from suggestion to migration', () => {
  const query = "SELECT id, total FROM orders o WHERE o.status = 'pending' ORDER BY o.created_at LIMIT 20";

  it('places an index-suggestion finding on the table reference in TypeScript, with the migration as its fix', async () => {
    const text = `export const pending = (db) =>\n  db.query("${query}");\n`;
    const analysis = analyzeDocument('src/pending.ts', text, { catalog, settings: DEFAULT_SETTINGS });
    const statement = analysis.statements[0];
    const sql = statement.region.sql.slice(statement.statement!.start, statement.statement!.end);
    const [suggestion] = (await advise(sql)).suggestions;
    const workspace = tempWorkspace({ 'migrations/001_init.sql': 'SELECT 1;\n' });
    try {
      const request = { index: suggestion.index, comment: migrationComment(suggestion, sql) };
      const plan = await planMigration(workspace.root, request);
      const finding = indexSuggestionFinding({ file: 'src/pending.ts', lines: new LineIndex(text), statement, suggestion, fixes: migrationFixes(plan, request) });
      const column = text.split('\n')[1].indexOf('orders o');
      expect(finding).toMatchObject({
        code: 'index-suggestion',
        severity: 'information',
        range: { start: { line: 1, character: column }, end: { line: 1, character: column + 'orders'.length } },
        data: { ddl: suggestion.ddl, kind: 'partial', costBefore: suggestion.costBefore, costAfter: suggestion.costAfter, sizeBytes: suggestion.sizeBytes },
      });
      expect(finding.message).toMatch(/^An index would cut this query's estimated cost on orders from [\d,]+ to [\d.]+ \(−\d+(\.\d+)?%, verified with hypopg\)\. Create it with a migration/);
      expect(finding.fixes?.[0].creates?.[0].file).toBe(plan.files[0].file);
    } finally {
      workspace.remove();
    }
  });

  it('writes a plain SQL migration that, run on the database, creates an index the planner then uses', async () => {
    const [suggestion] = (await advise(query)).suggestions;
    const workspace = tempWorkspace({ 'migrations/001_init.sql': 'SELECT 1;\n', 'migrations/002_orders.sql': 'SELECT 2;\n' });
    try {
      const plan = await planMigration(workspace.root, { index: suggestion.index, comment: migrationComment(suggestion, query) });
      workspace.apply(plan);
      expect(plan.files.map((f) => f.file.slice(workspace.root.length + 1))).toEqual(['migrations/003_add_orders_created_at_pending_index.sql']);
      // As a migration runner sends it: the file as one simple query (CONCURRENTLY, so no transaction).
      await testDb.client.query(workspace.read('migrations/003_add_orders_created_at_pending_index.sql'));
      const { rows } = await testDb.client.query(`EXPLAIN (FORMAT JSON) ${query}`);
      expect(JSON.stringify(rows[0]['QUERY PLAN'])).toContain('"Index Name":"orders_created_at_pending_idx"');
    } finally {
      workspace.remove();
      await testDb.client.query('DROP INDEX IF EXISTS orders_created_at_pending_idx');
    }
  });
});
