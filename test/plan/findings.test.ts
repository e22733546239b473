import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseCatalog } from '../../server/src/db/catalog';
import { ExplainRunner, type ExplainOptions } from '../../server/src/db/explain';
import { PostgresDatabase } from '../../server/src/db/postgres-database';
import { planFindings, type PlanFindingOptions } from '../../server/src/plan/findings/registry';
import { locateRelation } from '../../server/src/plan/locate';
import { parsePlan } from '../../server/src/plan/parse';
import { loadParser, parseSql } from '../../server/src/sql/parse';
import { createTestDatabase, SHOP_SCHEMA, type TestDatabase } from '../db/test-database';

let testDb: TestDatabase;
let database: PostgresDatabase;
let runner: ExplainRunner;
let catalog: DatabaseCatalog;

// kind and subkind are equal on every row: the planner multiplies their selectivities and
// underestimates `kind = 1 AND subkind = 1` a hundredfold.
const EVENTS = `
CREATE TABLE events (id int PRIMARY KEY, kind int NOT NULL, subkind int NOT NULL, payload text);
INSERT INTO events SELECT g, g % 100, g % 100, repeat('x', 40) FROM generate_series(1, 100000) g;
ANALYZE events;
`;

beforeAll(async () => {
  testDb = await createTestDatabase(SHOP_SCHEMA + EVENTS);
  database = new PostgresDatabase(testDb.config);
  runner = new ExplainRunner(database);
  catalog = await DatabaseCatalog.load(database);
}, 60_000);

afterAll(async () => {
  await database?.end();
  await testDb?.drop();
});

async function findingsFor(sql: string, options: ExplainOptions = {}, findingOptions: PlanFindingOptions = { catalog }) {
  const outcome = await runner.explain(sql, options);
  if (!outcome.ok) throw new Error(outcome.message);
  const parsed = parsePlan(outcome.json);
  if (!parsed.ok) throw new Error(parsed.message);
  return planFindings(parsed.plan, findingOptions);
}

describe('seq-scan on a real database (100k+ rows)', () => {
  it.each([
    ["SELECT * FROM orders WHERE status = 'paid'", 'orders'],
    ["SELECT * FROM users WHERE name LIKE '%42%'", 'users'],
    ['SELECT count(*) FROM orders WHERE total > 50', 'orders'],
    ['SELECT u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE o.note IS NULL', 'orders'],
  ])('reports the scan of %s', async (sql, relation) => {
    const findings = (await findingsFor(sql)).filter((f) => f.code === 'seq-scan');
    expect(findings.map((f) => f.relation)).toContain(relation);
    const finding = findings.find((f) => f.relation === relation)!;
    expect(finding.severity).toBe('warning');
    expect(finding.data.rows).toBeGreaterThanOrEqual(100_000);
    expect(finding.message).toMatch(new RegExp(`^(Parallel s|S)equential scan on ${relation} reads`));
    expect(finding.message).toMatch(/% of the plan's cost\)\. /);
  });

  it('names the filter, the rows discarded and the share of the cost with ANALYZE', async () => {
    const [finding] = (await findingsFor("SELECT id FROM orders WHERE status = 'cancelled' AND total < 1", { analyze: true })).filter(
      (f) => f.code === 'seq-scan',
    );
    expect(finding).toMatchObject({ relation: 'orders', alias: 'orders' });
    expect(finding.data.rows).toBe(150_000);
    expect(finding.data.rowsRemovedByFilter).toBeGreaterThan(140_000);
    expect(finding.message).toMatch(
      /^(Parallel s|S)equential scan on orders read 150,000 rows to keep those matching \(\(total < '1'::numeric\) AND \(status = 'cancelled'::text\)\), discarding [\d,]+ \(\d+% of the plan's cost\)\. If the filter keeps few rows, an index on the filtered columns/,
    );
  });

  it.each([
    'SELECT * FROM users WHERE id = 42',
    "SELECT * FROM users WHERE email = 'user7@example.com'",
    'SELECT total FROM orders WHERE user_id = 42',
    'SELECT * FROM users WHERE id = $1',
    "SELECT * FROM orders WHERE status = 'new' ORDER BY id LIMIT 10",
    'SELECT * FROM orders LIMIT 20',
    'SELECT * FROM tiny',
  ])('reports nothing for an index lookup, a LIMIT that stops early, or a small table: %s', async (sql) => {
    expect((await findingsFor(sql)).filter((f) => f.code === 'seq-scan')).toEqual([]);
  });

  it('uses the catalog size when a filtered plan alone cannot tell the table is big', async () => {
    const sql = "SELECT * FROM users WHERE email LIKE 'nobody%' AND country = 'xx'";
    expect((await findingsFor(sql)).filter((f) => f.code === 'seq-scan')).toHaveLength(1);
    // Without a catalog only the plan's own estimate (a handful of rows) is known.
    expect((await findingsFor(sql, {}, {})).filter((f) => f.code === 'seq-scan')).toHaveLength(0);
    // And the threshold is a setting.
    expect((await findingsFor(sql, {}, { catalog, seqScanMinRows: 200_000 })).filter((f) => f.code === 'seq-scan')).toHaveLength(0);
  });
});

describe('row-misestimate (ANALYZE)', () => {
  it('reports where the estimate goes wrong, once', async () => {
    const findings = (await findingsFor('SELECT * FROM events WHERE kind = 1 AND subkind = 1', { analyze: true })).filter(
      (f) => f.code === 'row-misestimate',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ relation: 'events', severity: 'information' });
    expect(findings[0].data).toMatchObject({ actualRows: 1000, direction: 'under' });
    expect(findings[0].message).toMatch(/returned 1,000 rows where the planner expected \d+ \(\d+× more\).*Run ANALYZE events/);
  });

  it('stays quiet when estimates are right, or when a LIMIT stops the scan early', async () => {
    const good = await findingsFor('SELECT * FROM events WHERE kind = 1', { analyze: true });
    expect(good.filter((f) => f.code === 'row-misestimate')).toEqual([]);
    const limited = await findingsFor('SELECT * FROM events WHERE kind < 50 LIMIT 5', { analyze: true });
    expect(limited.filter((f) => f.code === 'row-misestimate')).toEqual([]);
  });
});

describe('disk-spill (ANALYZE)', () => {
  it('reports a sort that spilled past work_mem', async () => {
    const findings = (await findingsFor('SELECT * FROM orders ORDER BY total, status', { analyze: true })).filter((f) => f.code === 'disk-spill');
    expect(findings.length).toBeGreaterThanOrEqual(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', relation: 'orders', data: { kind: 'sort' } });
    expect(findings[0].message).toMatch(/Sort spilled to disk \([\d.]+ MB, external merge\)\. Raise work_mem/);
  });

  it('reports nothing for a sort that fits in memory, or without ANALYZE', async () => {
    expect((await findingsFor('SELECT * FROM tiny ORDER BY label', { analyze: true })).filter((f) => f.code === 'disk-spill')).toEqual([]);
    expect((await findingsFor('SELECT * FROM orders ORDER BY total, status')).filter((f) => f.code === 'disk-spill')).toEqual([]);
  });
});

describe('placing plan findings on the SQL text', () => {
  it('puts each scan of the same table on its own reference, as PostgreSQL numbers them', async () => {
    await loadParser();
    // The subquery comes first in the text but PostgreSQL names the outer scan `orders`, the inner `orders_1`.
    const sql = "SELECT * FROM (SELECT * FROM orders WHERE status = 'paid') s, orders WHERE s.id = orders.id + 1 AND orders.total > 90";
    const findings = (await findingsFor(sql)).filter((f) => f.code === 'seq-scan');
    expect(findings.map((f) => f.alias).sort()).toEqual(['orders', 'orders_1']);
    const parsed = parseSql(sql);
    if (!parsed.ok) throw new Error(parsed.message);
    const placedOn = (alias: string) => {
      const finding = findings.find((f) => f.alias === alias)!;
      const span = locateRelation(parsed.statements[0], sql, parsed.offsetOf, { relation: finding.relation!, alias })!;
      return { start: span.start, filter: finding.data.filter };
    };
    expect(placedOn('orders_1')).toEqual({ start: sql.indexOf('orders'), filter: "(status = 'paid'::text)" });
    expect(placedOn('orders')).toEqual({ start: sql.indexOf('orders WHERE s.id'), filter: "(total > '90'::numeric)" });
  });
});
