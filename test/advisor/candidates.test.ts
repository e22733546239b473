import { beforeAll, describe, expect, it } from 'vitest';
import { candidatesFor } from '../../server/src/advisor/candidates';
import { indexDdl } from '../../server/src/advisor/index-definition';
import { tableUses } from '../../server/src/advisor/table-usage';
import type { ColumnStatistics } from '../../server/src/db/catalog';
import type { Catalog } from '../../server/src/schema/catalog';
import { buildWorkspaceCatalog } from '../../server/src/schema/workspace-catalog';
import { loadParser, parseSql } from '../../server/src/sql/parse';

/**
 * Candidate generation from the query alone: the key order rules, INCLUDE, partial and expression
 * variants. Which candidate is worth suggesting is the planner's call (advise.test.ts).
 */
let catalog: Catalog;
const SCHEMA = [
  {
    file: 'schema.sql',
    text: `
      CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, country text NOT NULL, created_at timestamptz NOT NULL);
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric(10, 2) NOT NULL,
                           created_at timestamptz NOT NULL, note text);
      CREATE INDEX orders_customer_id_idx ON orders (customer_id);`,
  },
];

const stats = (column: string, distinct: number, common: [string, number][] = []): [string, ColumnStatistics] => [
  column,
  { column, nullFraction: 0, nDistinct: distinct, distinctEstimate: distinct, mostCommonValues: common.map((c) => c[0]), mostCommonFrequencies: common.map((c) => c[1]), averageWidth: 8 },
];
const ORDER_STATS = new Map([
  stats('customer_id', 100_000),
  stats('status', 4, [['shipped', 0.6], ['delivered', 0.3], ['cancelled', 0.09], ['pending', 0.01]]),
  stats('created_at', 1_000_000),
  stats('id', 1_000_000),
  stats('total', 50_000),
]);

beforeAll(async () => {
  await loadParser();
  catalog = buildWorkspaceCatalog(SCHEMA);
});

function candidates(sql: string, table = 'orders', strategy: 'full' | 'single-column' = 'full'): string[] {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  const uses = tableUses(parsed.statements[0].stmt, catalog).filter((use) => use.table.name === table);
  return uses.flatMap((use) => candidatesFor(use, { statistics: ORDER_STATS, strategy })).map((index) => indexDdl(index, { anonymous: true }));
}

describe('key order', () => {
  it('puts equality keys first (most selective first), then one range key — never a range key first', () => {
    const ddl = candidates('SELECT id FROM orders WHERE created_at >= $1 AND status = $2 AND total = $3');
    expect(ddl).toContain('CREATE INDEX ON orders (total, status, created_at)');
    expect(ddl.filter((d) => /ON orders \(created_at, /.test(d))).toEqual([]);
  });

  it('follows equality keys with the ORDER BY keys, storing a DESC-first order ascending', () => {
    const ddl = candidates('SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC, id LIMIT 20');
    expect(ddl).toContain('CREATE INDEX ON orders (status, created_at, id DESC)');
  });

  it('treats IN and = ANY as equalities', () => {
    expect(candidates('SELECT * FROM orders WHERE status IN ($1, $2) AND created_at > $3')).toContain('CREATE INDEX ON orders (status, created_at)');
    expect(candidates('SELECT * FROM orders WHERE status = ANY($1) ORDER BY created_at LIMIT 5')).toContain('CREATE INDEX ON orders (status, created_at)');
  });

  it('uses the join key of a joined table, with correlated subqueries reading outer columns as values', () => {
    expect(candidates('SELECT c.email FROM customers c JOIN orders o ON o.total = c.id WHERE o.status = $1')).toContain('CREATE INDEX ON orders (total, status)');
    const exists = candidates('SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.total = c.id AND o.status = $1)');
    expect(exists).toContain('CREATE INDEX ON orders (total, status)');
  });
});

describe('variants', () => {
  it('adds INCLUDE columns when the rest of what the query reads is narrow, never after a star', () => {
    expect(candidates('SELECT id, total FROM orders WHERE status = $1 AND created_at > $2')).toContain('CREATE INDEX ON orders (status, created_at) INCLUDE (id, total)');
    expect(candidates('SELECT * FROM orders WHERE status = $1 AND created_at > $2').some((d) => d.includes('INCLUDE'))).toBe(false);
    // note is wide text without statistics: no covering index for it.
    expect(candidates('SELECT note FROM orders WHERE status = $1').some((d) => d.includes('INCLUDE'))).toBe(false);
  });

  it('moves a selective constant predicate on a column of few values into a partial WHERE', () => {
    const ddl = candidates("SELECT id FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 10");
    expect(ddl).toContain("CREATE INDEX ON orders (created_at) WHERE status = 'pending'");
    expect(ddl).toContain("CREATE INDEX ON orders (created_at) INCLUDE (id) WHERE status = 'pending'");
  });

  it('makes no partial index for parameters, common values or columns of many values', () => {
    expect(candidates('SELECT id FROM orders WHERE status = $1').some((d) => d.includes('WHERE'))).toBe(false);
    expect(candidates("SELECT id FROM orders WHERE status = 'shipped'").some((d) => d.includes('WHERE'))).toBe(false);
    expect(candidates('SELECT id FROM orders WHERE customer_id IN (1, 2, 3)').some((d) => d.includes('WHERE'))).toBe(false);
  });

  it('keys an expression index on the expression the query compares', () => {
    expect(candidates('SELECT id FROM customers c WHERE lower(c.email) = lower($1)', 'customers')).toContain('CREATE INDEX ON customers (lower(email))');
    expect(candidates("SELECT id FROM orders WHERE (total * 2) > 10")).toContain('CREATE INDEX ON orders ((total * 2))');
  });

  it('skips what an existing index already is, and covering variants of lookups of a few rows', () => {
    expect(candidates('SELECT id FROM orders WHERE customer_id = $1')).toEqual([]);
    expect(candidates('SELECT id FROM orders WHERE customer_id = $1 AND created_at > $2').sort()).toEqual(['CREATE INDEX ON orders (created_at)', 'CREATE INDEX ON orders (customer_id, created_at)']);
  });

  it('keeps the single-column strategy to one plain column per index', () => {
    expect(candidates("SELECT id FROM orders WHERE status = 'pending' AND created_at > $1 ORDER BY created_at LIMIT 5", 'orders', 'single-column')).toEqual([
      'CREATE INDEX ON orders (status)',
      'CREATE INDEX ON orders (created_at)',
    ]);
  });
});
