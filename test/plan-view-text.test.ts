import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../server/src/plan/parse';
import { fromPostgres18, renderTextPlan } from '../server/src/plan/view';
import { createTestDatabase, SHOP_SCHEMA, type TestDatabase } from './db/test-database';
import { explainJson, explainText, FORCE_PARALLEL, withSettings } from './plan-view-support';

/**
 * The plan page's text tab rebuilds EXPLAIN's text format from the model. Each case here explains the
 * same query twice on the real server — FORMAT JSON (read into the model and rendered) and the text
 * format — and the two must match line for line. Without ANALYZE the output is deterministic; with
 * it, only what differs between two runs (times, memory, buffer counts) is masked.
 */
let db: TestDatabase;

const EXTRA = `
CREATE TABLE "Events" (id int PRIMARY KEY, "user" text);
INSERT INTO "Events" SELECT g, 'u' || g FROM generate_series(1, 1000) g;
CREATE TABLE "user" (id int PRIMARY KEY);
INSERT INTO "user" SELECT generate_series(1, 10);
ANALYZE "Events", "user";
`;

beforeAll(async () => {
  db = await createTestDatabase(SHOP_SCHEMA + EXTRA);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const CASES: Record<string, string> = {
  'seq scan with a filter': "SELECT id, total FROM orders WHERE status = 'paid'",
  'index scan, backward, with LIMIT': 'SELECT * FROM users ORDER BY id DESC LIMIT 5',
  'index only scan': 'SELECT id FROM users WHERE id BETWEEN 10 AND 20',
  'bitmap OR': 'SELECT * FROM users WHERE id = 5 OR id = 7',
  'hash join with sort and aggregate':
    "SELECT u.country, count(*) FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > 50 GROUP BY u.country ORDER BY count(*) DESC",
  'left join, nested loop': 'SELECT t.id, u.email FROM tiny t LEFT JOIN users u ON u.id = t.id',
  'semi and anti joins': 'SELECT * FROM tiny t WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = t.id) AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.id + 100000)',
  'CTE, InitPlan and CTE scans':
    'WITH recent AS MATERIALIZED (SELECT * FROM orders WHERE id > 149000) SELECT u.email, r.total FROM recent r JOIN users u ON u.id = r.user_id WHERE r.total > (SELECT avg(total) FROM recent)',
  'correlated SubPlan': 'SELECT t.id, (SELECT count(*) FROM orders o WHERE o.user_id = t.id) FROM tiny t',
  'values, functions, subquery scans': "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(n, s) JOIN generate_series(1, 3) g ON g = v.n JOIN (SELECT id, label FROM tiny ORDER BY label LIMIT 3) s ON s.id = v.n",
  'set operation': 'SELECT id FROM tiny EXCEPT SELECT id FROM users WHERE id < 10',
  'window function': 'SELECT id, row_number() OVER (PARTITION BY country ORDER BY created_at) FROM users WHERE id < 1000',
  'window run condition': 'SELECT * FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users) s WHERE rn <= 5 AND rn % 2 = 0',
  'materialize': 'SELECT count(*) FROM tiny a JOIN (SELECT * FROM tiny OFFSET 0) b ON a.label < b.label',
  'quoted identifiers': 'SELECT e.id FROM "Events" e JOIN "user" ON "user".id = e.id',
  'distinct and group': 'SELECT DISTINCT country FROM users WHERE id < 500',
};

/** Times, memory and buffer counts vary from one run to the next; the shape must not. */
function mask(text: string): string {
  return text
    .replace(/actual time=[\d.]+\.\.[\d.]+/g, 'actual time=T')
    .replace(/(Planning|Execution) Time: [\d.]+ ms/g, '$1 Time: T')
    .replace(/Memory( Usage)?: \d+kB/g, 'Memory$1: MkB')
    .replace(/Buffers: .*/g, 'Buffers: B')
    .replace(/^Planning:\n {2}Buffers: B\n/m, '');
}

describe('text plan, compared with PostgreSQL’s own', () => {
  for (const [name, sql] of Object.entries(CASES)) {
    it(`${name}: matches EXPLAIN line for line`, async () => {
      const { plan } = await explainJson(db.client, sql);
      expect(renderTextPlan(plan)).toBe(await explainText(db.client, sql));
    });
  }

  for (const name of ['seq scan with a filter', 'hash join with sort and aggregate', 'CTE, InitPlan and CTE scans', 'correlated SubPlan', 'index only scan', 'bitmap OR']) {
    it(`${name}: matches EXPLAIN (ANALYZE, BUFFERS) but for times and buffer counts`, async () => {
      const sql = CASES[name];
      const { plan } = await explainJson(db.client, sql, { analyze: true });
      expect(mask(renderTextPlan(plan))).toBe(mask(await explainText(db.client, sql, { analyze: true })));
    });
  }

  it('a parallel plan: Partial/Finalize aggregates, Gather Merge and its workers', async () => {
    const sql = 'SELECT status, count(*), avg(total) FROM orders GROUP BY status ORDER BY status';
    await withSettings(db.client, FORCE_PARALLEL, async () => {
      const { plan } = await explainJson(db.client, sql);
      expect(plan.nodes.some((n) => n.nodeType === 'Gather Merge')).toBe(true);
      expect(renderTextPlan(plan)).toBe(await explainText(db.client, sql));
      // Rows per worker vary between runs: compare the shape of the ANALYZE output.
      const analyzed = await explainJson(db.client, sql, { analyze: true });
      const shape = (text: string) => mask(text).replace(/rows=\d+ loops/g, 'rows=R loops').replace(/Rows Removed by Filter: \d+/g, 'Rows Removed by Filter: R');
      expect(shape(renderTextPlan(analyzed.plan))).toBe(shape(await explainText(db.client, sql, { analyze: true })));
      expect(renderTextPlan(analyzed.plan)).toMatch(/\n {14}Worker 0: {2}Sort Method: quicksort {2}Memory: \d+kB\n/);
    });
  });

  it('a write is titled by its operation and never run', async () => {
    const sql = "UPDATE orders SET note = 'x' WHERE id = 1";
    const { plan } = await explainJson(db.client, sql);
    expect(renderTextPlan(plan)).toBe(await explainText(db.client, sql));
    expect(renderTextPlan(plan)).toMatch(/^Update on orders {2}\(cost=/);
  });
});

/**
 * PostgreSQL 18 (the embedded PGlite sandbox) prints fractional rows, `Disabled`, `Index Searches`,
 * `Window` and `Storage` lines. Its plans are saved fixtures (test/fixtures/plans/generate-pg18.mjs):
 * JSON and text of the same query, from two runs, so ANALYZE cases compare with times masked.
 */
const PG18 = join(__dirname, 'fixtures', 'plans', 'pg18');

describe('text plan, compared with PostgreSQL 18’s own (saved from PGlite)', () => {
  for (const file of readdirSync(PG18).filter((f) => f.endsWith('.json'))) {
    it(file.replace(/\.json$/, ''), () => {
      const fixture = JSON.parse(readFileSync(join(PG18, file), 'utf8')) as { version: string; analyze: boolean; json: unknown; text: string };
      expect(fixture.version).toMatch(/^PostgreSQL 18\./);
      expect(fromPostgres18(fixture.json)).toBe(true);
      const parsed = parsePlan(fixture.json);
      if (!parsed.ok) throw new Error(parsed.message);
      const text = renderTextPlan(parsed.plan, { fractionalRows: true });
      if (fixture.analyze) expect(mask(text)).toBe(mask(fixture.text));
      else expect(text).toBe(fixture.text);
    });
  }

  it('tells PostgreSQL 18 JSON from earlier versions', async () => {
    expect(fromPostgres18((await explainJson(db.client, 'SELECT 1')).json)).toBe(false);
  });
});
