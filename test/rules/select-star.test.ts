import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/config';
import { loadParser } from '../../server/src/sql/parse';
import { applyFixes, catalogFrom, ruleTester } from '../helpers/rule-tester';
import { SHOP_SCHEMA } from './shop-schema';

const USER_COLUMNS = 'id, email, "displayName", "order", created_at';

ruleTester('select-star', {
  schema: SHOP_SCHEMA,
  valid: [
    'SELECT id, email FROM users',
    'SELECT count(*) FROM users',
    { name: 'EXISTS (SELECT * …) only tests for a row', sql: 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)' },
    { name: 'IN (SELECT * …) feeds a comparison', sql: 'SELECT id FROM users WHERE id IN (SELECT * FROM unnest($1::bigint[]))' },
    { name: 'a CTE star narrowed by the outer query', sql: "WITH recent AS (SELECT * FROM orders WHERE status = 'new') SELECT id, total FROM recent" },
    { name: 'a subquery star narrowed by the outer query', sql: 'SELECT s.id FROM (SELECT * FROM users) s' },
    { name: 'a star over a subquery that lists its columns', sql: 'SELECT * FROM (SELECT id, email FROM users) u' },
    { name: 'a star over VALUES', sql: "SELECT * FROM (VALUES (1, 'a')) AS v(id, name)" },
    { name: 'a star over a function result', sql: 'SELECT * FROM unnest($1::int[]) AS x(id)' },
    { name: 'a star inside a function argument', sql: 'SELECT row_to_json(u.*) FROM users u WHERE u.id = $1' },
    { name: 'INSERT … SELECT * writes rows, it does not return them', sql: 'INSERT INTO orders SELECT * FROM orders WHERE id = $1' },
    { name: 'a data-modifying CTE feeding an INSERT', sql: 'WITH moved AS (DELETE FROM orders WHERE id = $1 RETURNING *) INSERT INTO orders SELECT * FROM moved' },
    'CREATE VIEW everyone AS SELECT * FROM users',
    'CREATE TABLE users_copy AS SELECT * FROM users',
    'SELECT * INTO users_copy FROM users',
    'COPY (SELECT * FROM users) TO STDOUT',
    'EXPLAIN SELECT * FROM users',
    'UPDATE users SET email = $1 WHERE id = $2',
    'UPDATE users SET email = $1 WHERE id = $2 RETURNING id',
    { name: 'a suppression comment', sql: '-- pglens-ignore select-star\nSELECT * FROM users' },
  ],
  invalid: [
    {
      sql: 'SELECT * FROM users',
      marked: '*',
      message: /^SELECT \* returns every column of users, including any added later\. List only the columns the application needs\.$/,
      output: `SELECT ${USER_COLUMNS} FROM users`,
    },
    { name: 'schema-qualified table', sql: 'SELECT * FROM public.users WHERE id = $1', marked: '*', output: `SELECT ${USER_COLUMNS} FROM public.users WHERE id = $1` },
    {
      name: 't.* is qualified with the alias',
      sql: 'SELECT u.* FROM users u JOIN orders o ON o.user_id = u.id',
      marked: 'u.*',
      message: /^u\.\* returns every column of users/,
      output: 'SELECT u.id, u.email, u."displayName", u."order", u.created_at FROM users u JOIN orders o ON o.user_id = u.id',
    },
    {
      name: '* over several tables is qualified',
      sql: 'SELECT * FROM orders o JOIN order_items i ON i.order_id = o.id',
      marked: '*',
      message: /every column of orders and order_items/,
      output: 'SELECT o.id, o.user_id, o.total, o.status, i.order_id, i.line, i.sku FROM orders o JOIN order_items i ON i.order_id = o.id',
    },
    {
      name: 'a USING column appears once, as PostgreSQL expands it',
      sql: 'SELECT * FROM users JOIN orders USING (id)',
      marked: '*',
      output: 'SELECT users.id, users.email, users."displayName", users."order", users.created_at, orders.user_id, orders.total, orders.status FROM users JOIN orders USING (id)',
    },
    { name: 'a quoted alias stays quoted', sql: 'SELECT "U".* FROM users AS "U"', marked: '"U".*', output: `SELECT "U".id, "U".email, "U"."displayName", "U"."order", "U".created_at FROM users AS "U"` },
    { name: 'unknown table: no fix', sql: 'SELECT * FROM mystery', marked: '*', message: /every column of mystery/, output: null },
    { name: 'one unknown table among several: no fix', sql: 'SELECT * FROM users u JOIN mystery m ON m.user_id = u.id', marked: '*', output: null },
    {
      name: 'each star is its own finding; only the known one has a fix',
      sql: 'SELECT m.*, u.* FROM users u JOIN mystery m ON true',
      marked: ['m.*', 'u.*'],
      output: 'SELECT m.*, u.id, u.email, u."displayName", u."order", u.created_at FROM users u JOIN mystery m ON true',
    },
    {
      name: 'a CTE star reaching the result is reported once, where the application sees it',
      sql: 'WITH recent AS (SELECT * FROM orders) SELECT * FROM recent',
      marked: '*',
      output: 'WITH recent AS (SELECT * FROM orders) SELECT id, user_id, total, status FROM recent',
    },
    {
      name: 'a subquery star reaching the result',
      sql: 'SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY user_id) AS rn FROM orders) s WHERE rn = 1',
      marked: '*',
      output: 'SELECT id, user_id, total, status, rn FROM (SELECT *, row_number() OVER (PARTITION BY user_id) AS rn FROM orders) s WHERE rn = 1',
    },
    {
      name: 'a recursive CTE',
      sql: 'WITH RECURSIVE t AS (SELECT * FROM orders WHERE id = 1 UNION ALL SELECT o.* FROM orders o JOIN t ON o.user_id = t.id) SELECT * FROM t',
      marked: '*',
      output: 'WITH RECURSIVE t AS (SELECT * FROM orders WHERE id = 1 UNION ALL SELECT o.* FROM orders o JOIN t ON o.user_id = t.id) SELECT id, user_id, total, status FROM t',
    },
    { name: 'every UNION arm reaches the application', sql: 'SELECT id, email FROM users UNION ALL SELECT * FROM active_users', marked: '*', output: 'SELECT id, email FROM users UNION ALL SELECT id, email FROM active_users' },
    { name: 'a view', sql: 'SELECT * FROM active_users', marked: '*', message: /every column of active_users/, output: 'SELECT id, email FROM active_users' },
    { sql: 'INSERT INTO users (email) VALUES ($1) RETURNING *', marked: '*', output: `INSERT INTO users (email) VALUES ($1) RETURNING ${USER_COLUMNS}` },
    { sql: "UPDATE orders SET status = 'paid' WHERE id = $1 RETURNING *", marked: '*', output: "UPDATE orders SET status = 'paid' WHERE id = $1 RETURNING id, user_id, total, status" },
    { sql: 'DELETE FROM order_items WHERE order_id = $1 RETURNING *', marked: '*', output: 'DELETE FROM order_items WHERE order_id = $1 RETURNING order_id, line, sku' },
    { name: 'a cursor returns its rows', sql: 'DECLARE c CURSOR FOR SELECT * FROM order_items', marked: '*', output: 'DECLARE c CURSOR FOR SELECT order_id, line, sku FROM order_items' },
    { name: 'a prepared statement returns its rows', sql: 'PREPARE by_order (bigint) AS SELECT * FROM order_items WHERE order_id = $1', marked: '*', output: 'PREPARE by_order (bigint) AS SELECT order_id, line, sku FROM order_items WHERE order_id = $1' },
    {
      name: 'MERGE … RETURNING * covers the target and the source',
      sql: 'MERGE INTO order_items i USING orders o ON o.id = i.order_id WHEN MATCHED THEN DELETE RETURNING *',
      marked: '*',
      output: 'MERGE INTO order_items i USING orders o ON o.id = i.order_id WHEN MATCHED THEN DELETE RETURNING i.order_id, i.line, i.sku, o.id, o.user_id, o.total, o.status',
    },
    { name: 'TABLE t is SELECT * FROM t', sql: 'TABLE order_items', marked: 'TABLE', message: /^TABLE returns every column of order_items/, output: 'SELECT order_id, line, sku FROM order_items' },
    { name: 'after non-ASCII text', sql: "SELECT 'héllo 🐘' AS greeting, * FROM order_items", marked: '*', output: "SELECT 'héllo 🐘' AS greeting, order_id, line, sku FROM order_items" },
    { name: 'a comment between qualifier and star', sql: 'SELECT i . /* all */ * FROM order_items i', marked: 'i . /* all */ *', output: 'SELECT i.order_id, i.line, i.sku FROM order_items i' },
  ],
});

describe('select-star in TypeScript', () => {
  beforeAll(loadParser);

  it('marks the star inside the string and escapes the fix for the host literal', () => {
    const text = 'await pool.query("SELECT * FROM users WHERE id = $1", [id]);\n';
    const catalog = catalogFrom(SHOP_SCHEMA);
    const findings = analyzeDocument('app.ts', text, { catalog, settings: DEFAULT_SETTINGS }).findings.filter((f) => f.code === 'select-star');
    expect(findings).toHaveLength(1);
    expect(findings[0].range.start).toEqual({ line: 0, character: text.indexOf('*') });
    expect(applyFixes(text, findings)).toBe(
      'await pool.query("SELECT id, email, \\"displayName\\", \\"order\\", created_at FROM users WHERE id = $1", [id]);\n',
    );
  });
});
