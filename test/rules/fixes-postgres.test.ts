import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../server/src/config';
import type { Catalog } from '../../server/src/schema/catalog';
import { loadParser } from '../../server/src/sql/parse';
import { createTestDatabase, type TestDatabase } from '../db/test-database';
import { applyFixes, catalogFrom, findingsOf } from '../helpers/rule-tester';
import { SHOP_SCHEMA } from './shop-schema';

/**
 * Quick fixes checked on the real PostgreSQL: the explicit column list that replaces a star returns
 * the same columns and rows as the star did, and an added LIMIT gives SQL the server accepts.
 */
const DATA = `
INSERT INTO users (email, "displayName", "order") VALUES ('a@example.com', 'A', 1), ('b@example.com', 'B', 2), ('c@example.com', NULL, 3);
INSERT INTO orders (user_id, total, status) VALUES (1, 10, 'new'), (1, 20, 'paid'), (2, 5, 'new');
INSERT INTO order_items VALUES (1, 1, 'sku-1'), (1, 2, 'sku-2'), (3, 1, 'sku-3');
`;

let testDb: TestDatabase;
let catalog: Catalog;

beforeAll(async () => {
  await loadParser();
  testDb = await createTestDatabase(SHOP_SCHEMA + DATA);
  catalog = catalogFrom(SHOP_SCHEMA);
}, 60_000);

afterAll(async () => {
  await testDb?.drop();
});

/** Runs `sql` in a transaction that is rolled back; returns column names and rows. */
async function run(sql: string, params: unknown[] = []): Promise<{ columns: string[]; rows: unknown[][] }> {
  const client = testDb.client;
  await client.query('BEGIN');
  try {
    const result = await client.query({ text: sql, values: params, rowMode: 'array' });
    return { columns: result.fields.map((field) => field.name), rows: result.rows as unknown[][] };
  } finally {
    await client.query('ROLLBACK');
  }
}

const STAR_CASES: [string, unknown[]][] = [
  ['SELECT * FROM users ORDER BY id', []],
  ['SELECT * FROM public.users WHERE id = $1', [1]],
  ['SELECT u.* FROM users u JOIN orders o ON o.user_id = u.id ORDER BY o.id', []],
  ['SELECT * FROM orders o JOIN order_items i ON i.order_id = o.id ORDER BY i.order_id, i.line', []],
  ['SELECT * FROM users JOIN orders USING (id) ORDER BY id', []],
  ['SELECT * FROM users LEFT JOIN orders USING (id) ORDER BY id', []],
  ['SELECT "U".* FROM users AS "U" ORDER BY 1', []],
  ['WITH recent AS (SELECT * FROM orders) SELECT * FROM recent ORDER BY id', []],
  ['SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY id) AS rn FROM orders) s WHERE rn = 1 ORDER BY id', []],
  ['WITH RECURSIVE t AS (SELECT * FROM orders WHERE id = 1 UNION ALL SELECT o.* FROM orders o JOIN t ON o.id = t.id + 1) SELECT * FROM t', []],
  ['SELECT id, email FROM users UNION ALL SELECT * FROM active_users', []],
  ['INSERT INTO order_items VALUES ($1, $2, $3) RETURNING *', [2, 1, 'sku-4']],
  ["UPDATE orders SET status = 'paid' WHERE id = $1 RETURNING *", [1]],
  ['DELETE FROM order_items WHERE order_id = $1 RETURNING *', [1]],
  ["SELECT 'héllo 🐘' AS greeting, * FROM order_items ORDER BY 2, 3", []],
  ['SELECT i . /* all */ * FROM order_items i ORDER BY 1, 2', []],
  ['TABLE order_items', []],
];

describe('select-star fixes on PostgreSQL', () => {
  it.each(STAR_CASES)('%s', async (sql, params) => {
    const findings = findingsOf('select-star', sql, catalog);
    expect(findings.length).toBeGreaterThan(0);
    const fixed = applyFixes(sql, findings);
    expect(findingsOf('select-star', fixed, catalog)).toEqual([]);
    const before = await run(sql, params);
    expect(before.rows.length).toBeGreaterThan(0);
    expect(await run(fixed, params)).toEqual(before);
  });
});

const LIMIT_CASES: string[] = [
  "SELECT id FROM orders WHERE status = 'new' FOR UPDATE SKIP LOCKED",
  'WITH o AS (SELECT * FROM orders WHERE status = $1) SELECT id FROM o',
  'SELECT id FROM users UNION SELECT user_id FROM orders',
  'SELECT id FROM users ORDER BY id OFFSET 1',
  'SELECT id FROM users -- all of them\n',
  '(SELECT id FROM users)',
  'TABLE users',
  'SELECT status, count(*) FROM orders GROUP BY status',
  'SELECT id FROM orders FOR NO KEY UPDATE OF orders NOWAIT',
];

describe('missing-limit fixes on PostgreSQL', () => {
  it.each(LIMIT_CASES)('%s', async (sql) => {
    const settings = { ...DEFAULT_SETTINGS, missingLimit: { limit: 1 } };
    const findings = findingsOf('missing-limit', sql, catalog, settings);
    expect(findings).toHaveLength(1);
    const fixed = applyFixes(sql, findings);
    expect(fixed).toMatch(/ LIMIT 1\b/);
    const params = sql.includes('$1') ? ['new'] : [];
    const before = await run(sql, params);
    const after = await run(fixed, params);
    expect(before.rows.length).toBeGreaterThan(1);
    expect(after.rows).toHaveLength(1);
    expect(after.columns).toEqual(before.columns);
  });
});
