import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/config';
import { loadParser } from '../../server/src/sql/parse';
import { applyFixes, catalogFrom, ruleTester } from '../helpers/rule-tester';
import { SHOP_SCHEMA } from './shop-schema';

ruleTester('missing-limit', {
  schema: SHOP_SCHEMA,
  valid: [
    'SELECT id FROM users LIMIT 10',
    'SELECT id FROM users ORDER BY id FETCH FIRST 5 ROWS ONLY',
    'SELECT id FROM users LIMIT $1 OFFSET $2',
    { name: 'LIMIT ALL is a deliberate choice', sql: 'SELECT id FROM users LIMIT ALL' },
    { name: 'an aggregate without GROUP BY returns one row', sql: 'SELECT count(*) FROM orders' },
    "SELECT max(total), min(total) FROM orders WHERE status = 'open'",
    'SELECT coalesce(sum(total), 0) AS spent FROM orders WHERE user_id = $1',
    'SELECT string_agg(email, \', \' ORDER BY email) FROM users',
    'SELECT 1',
    'SELECT now()',
    'VALUES (1), (2)',
    'SELECT EXISTS (SELECT 1 FROM orders WHERE user_id = $1)',
    { name: 'primary key lookup', sql: 'SELECT email FROM users WHERE id = $1' },
    { name: 'primary key with a cast', sql: 'SELECT email FROM users WHERE id = $1::bigint' },
    { name: 'primary key compared the other way round', sql: 'SELECT email FROM users WHERE 42 = id' },
    { name: 'a one-item IN list is an equality', sql: 'SELECT email FROM users WHERE id IN ($1)' },
    { name: 'unique constraint through an alias', sql: 'SELECT u.id FROM users u WHERE u.email = $1' },
    { name: 'composite unique index, AND-ed with other terms', sql: 'SELECT name FROM accounts WHERE slug = $2 AND tenant_id = $1 AND name IS NOT NULL' },
    { name: 'composite primary key', sql: 'SELECT sku FROM order_items WHERE order_id = $1 AND line = 3' },
    { name: 'unique expression index', sql: 'SELECT user_id FROM sessions s WHERE lower(s.token) = lower($1)' },
    { name: 'a key lookup joined to a key', sql: 'SELECT o.total, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1' },
    { name: 'a key lookup left-joined to a key', sql: 'SELECT o.total, u.email FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE o.id = $1' },
    { name: 'a key lookup with a bounded lateral subquery', sql: 'SELECT u.id, last.total FROM users u, LATERAL (SELECT total FROM orders WHERE user_id = u.id ORDER BY id DESC LIMIT 1) last WHERE u.id = $1' },
    { name: 'every UNION arm is a key lookup', sql: 'SELECT id FROM users WHERE id = $1 UNION SELECT id FROM users WHERE email = $2' },
    { name: 'GROUP BY a key fixed to one value', sql: 'SELECT status, count(*) FROM orders WHERE status = $1 GROUP BY status' },
    { name: 'a CTE query with a LIMIT on the outer SELECT', sql: 'WITH o AS (SELECT * FROM orders) SELECT id FROM o ORDER BY id LIMIT 5' },
    { name: 'an aggregate over a CTE', sql: 'WITH o AS (SELECT * FROM orders) SELECT count(*) FROM o' },
    { name: 'a set-returning function over a parameter', sql: 'SELECT * FROM unnest($1::int[]) AS t(x)' },
    { name: 'a key lookup through a subquery that passes rows through', sql: 'SELECT * FROM (SELECT * FROM users WHERE created_at > $2) u WHERE u.id = $1' },
    { name: 'a key lookup through a CTE that renames the key', sql: 'WITH x AS (SELECT id, email AS mail FROM users) SELECT id FROM x WHERE mail = $1' },
    { name: 'a row comparison on the key', sql: 'SELECT sku FROM order_items WHERE (order_id, line) = ($1, $2)' },
    { name: 'the merged column of JOIN … USING', sql: 'SELECT email FROM users JOIN orders USING (id) WHERE id = $1' },
    { name: 'locking a key lookup', sql: 'SELECT id FROM users WHERE id = $1 FOR UPDATE' },
    { name: 'unknown table: a column named id is taken as its key', schema: '', sql: 'SELECT name FROM mystery WHERE id = $1' },
    { name: 'the source of INSERT … SELECT', sql: 'INSERT INTO orders (user_id) SELECT id FROM users' },
    'CREATE VIEW all_users AS SELECT id FROM users',
    'CREATE TABLE user_ids AS SELECT id FROM users',
    'SELECT id INTO user_ids FROM users',
    'COPY (SELECT id FROM users) TO STDOUT',
    { name: 'a cursor is how unbounded results are read', sql: 'DECLARE c CURSOR FOR SELECT id FROM users' },
    'EXPLAIN SELECT id FROM users',
    'UPDATE users SET email = lower(email)',
    'DELETE FROM orders',
    { name: 'a data-modifying CTE returns the rows it changed', sql: "WITH gone AS (DELETE FROM orders WHERE status = 'void' RETURNING id) SELECT id FROM gone" },
    { name: 'a suppression comment', sql: '-- pglens-ignore missing-limit\nSELECT id FROM users' },
  ],
  invalid: [
    {
      sql: 'SELECT id FROM users',
      marked: 'SELECT',
      message: /^This SELECT has no LIMIT and returns every matching row of users, however large it grows\. Add a LIMIT/,
      output: 'SELECT id FROM users LIMIT 100',
    },
    { name: 'lower-case, with a semicolon', sql: 'select id from users where email like $1;', marked: 'select', output: 'select id from users where email like $1 LIMIT 100;' },
    { name: 'ANY is not a single-row lookup', sql: 'SELECT email FROM users WHERE id = ANY($1)', marked: 'SELECT', output: 'SELECT email FROM users WHERE id = ANY($1) LIMIT 100' },
    { name: 'an IN list is not a single-row lookup', sql: 'SELECT email FROM users WHERE id IN ($1, $2)', marked: 'SELECT' },
    { name: 'OR of key lookups', sql: 'SELECT email FROM users WHERE id = $1 OR email = $2', marked: 'SELECT' },
    { name: 'a foreign key is not unique', sql: 'SELECT id FROM orders WHERE user_id = $1', marked: 'SELECT', message: /every matching row of orders/ },
    { name: 'a partial unique index does not make a key', sql: "SELECT id FROM orders WHERE user_id = $1 AND status = 'open'", marked: 'SELECT' },
    { name: 'part of a composite key', sql: 'SELECT sku FROM order_items WHERE order_id = $1', marked: 'SELECT' },
    { name: 'a key lookup joined one-to-many', sql: 'SELECT o.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1', marked: 'SELECT', message: /every matching row of orders,/ },
    { name: 'a column compared to another column of the same row', sql: 'SELECT id FROM users WHERE id = "order"', marked: 'SELECT' },
    { name: 'unknown table without an id lookup', schema: '', sql: 'SELECT id FROM mystery WHERE name = $1', marked: 'SELECT', message: /mystery/ },
    {
      name: 'the LIMIT goes before FOR UPDATE',
      sql: "SELECT id FROM orders WHERE status = 'new' FOR UPDATE SKIP LOCKED",
      marked: 'SELECT',
      output: "SELECT id FROM orders WHERE status = 'new' LIMIT 100 FOR UPDATE SKIP LOCKED",
    },
    {
      name: 'the outer SELECT of a WITH query',
      sql: 'WITH o AS (SELECT * FROM orders WHERE status = $1) SELECT id FROM o',
      marked: 'SELECT',
      output: 'WITH o AS (SELECT * FROM orders WHERE status = $1) SELECT id FROM o LIMIT 100',
    },
    { name: 'a UNION is marked on its first SELECT', sql: 'SELECT id FROM users UNION SELECT user_id FROM orders WHERE id = $1', marked: 'SELECT', output: 'SELECT id FROM users UNION SELECT user_id FROM orders WHERE id = $1 LIMIT 100' },
    { name: 'GROUP BY returns a row per group', sql: 'SELECT status, count(*) FROM orders GROUP BY status', marked: 'SELECT' },
    { name: 'a window function is not an aggregate', sql: 'SELECT id, count(*) OVER () FROM orders', marked: 'SELECT' },
    { name: 'OFFSET alone', sql: 'SELECT id FROM users ORDER BY id OFFSET 10', marked: 'SELECT', output: 'SELECT id FROM users ORDER BY id OFFSET 10 LIMIT 100' },
    { name: 'the fix goes before a trailing comment', sql: 'SELECT id FROM users -- all of them\n', marked: 'SELECT', output: 'SELECT id FROM users LIMIT 100 -- all of them\n' },
    { name: 'a row comparison on part of the key', sql: 'SELECT sku FROM order_items WHERE (order_id, sku) = ($1, $2)', marked: 'SELECT' },
    { name: 'a CTE whose key the outer query does not fix', sql: 'WITH x AS (SELECT user_id FROM orders) SELECT * FROM x WHERE user_id = $1', marked: 'SELECT' },
    { name: 'a grouped subquery has no key', sql: 'SELECT * FROM (SELECT user_id AS id, count(*) FROM orders GROUP BY user_id) s WHERE s.count = $1', marked: 'SELECT' },
    { name: 'an unbounded subquery source', sql: 'SELECT s.id FROM (SELECT id FROM users) s', marked: 'SELECT', output: 'SELECT s.id FROM (SELECT id FROM users) s LIMIT 100' },
    { name: 'a parenthesised query', sql: '(SELECT id FROM users)', marked: 'SELECT', output: '(SELECT id FROM users) LIMIT 100' },
    { name: 'TABLE t', sql: 'TABLE users', marked: 'TABLE', output: 'TABLE users LIMIT 100' },
    {
      name: 'a subquery in the select list does not hide the SELECT keyword',
      sql: 'SELECT (SELECT max(total) FROM orders o WHERE o.user_id = u.id) FROM users u',
      marked: 'SELECT',
      output: 'SELECT (SELECT max(total) FROM orders o WHERE o.user_id = u.id) FROM users u LIMIT 100',
    },
    { name: 'several statements each get their own finding', sql: 'SELECT id FROM users;\nSELECT id FROM orders;', marked: ['SELECT', 'SELECT'], output: 'SELECT id FROM users LIMIT 100;\nSELECT id FROM orders LIMIT 100;' },
  ],
});

ruleTester('missing-limit', {
  schema: SHOP_SCHEMA,
  settings: { missingLimit: { limit: 25 } },
  valid: [],
  invalid: [{ name: 'the fix uses settings.missingLimit.limit', sql: 'SELECT id FROM users', marked: 'SELECT', output: 'SELECT id FROM users LIMIT 25' }],
});

describe('missing-limit in TypeScript', () => {
  beforeAll(loadParser);

  it('marks SELECT in a template literal and appends the LIMIT inside it', () => {
    const text = 'const rows = await sql`SELECT id FROM orders WHERE user_id = ${userId}`;\n';
    const catalog = catalogFrom(SHOP_SCHEMA);
    const findings = analyzeDocument('app.ts', text, { catalog, settings: DEFAULT_SETTINGS }).findings.filter((f) => f.code === 'missing-limit');
    expect(findings.map((f) => f.range.start.character)).toEqual([text.indexOf('SELECT')]);
    expect(findings[0].severity).toBe('information');
    expect(applyFixes(text, findings)).toBe('const rows = await sql`SELECT id FROM orders WHERE user_id = ${userId} LIMIT 100`;\n');
  });
});
