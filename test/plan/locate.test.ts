import { beforeAll, describe, expect, it } from 'vitest';
import { locateRelation, type RelationTarget } from '../../server/src/plan/locate';
import { loadParser, parseSql } from '../../server/src/sql/parse';

beforeAll(loadParser);

/** The text a plan relation/alias is placed on, or undefined. */
function placed(sql: string, target: RelationTarget, statementIndex = 0): string | undefined {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  const span = locateRelation(parsed.statements[statementIndex], sql, parsed.offsetOf, target);
  return span && sql.slice(span.start, span.end);
}

/** The offset where a plan relation/alias is placed. */
function startOf(sql: string, target: RelationTarget): number | undefined {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  return locateRelation(parsed.statements[0], sql, parsed.offsetOf, target)?.start;
}

describe('locateRelation', () => {
  it('places a finding on the table name of the FROM or JOIN item, matched by alias', () => {
    const sql = 'SELECT * FROM users u JOIN orders o ON o.user_id = u.id JOIN orders o2 ON o2.id = o.id';
    expect(placed(sql, { relation: 'users', alias: 'u' })).toBe('users');
    expect(startOf(sql, { relation: 'orders', alias: 'o' })).toBe(sql.indexOf('orders o '));
    expect(startOf(sql, { relation: 'orders', alias: 'o2' })).toBe(sql.indexOf('orders o2'));
  });

  it('covers schema-qualified and quoted names', () => {
    expect(placed('SELECT 1 FROM billing . "Invoices" AS i WHERE i.id = 1', { relation: 'Invoices', schema: 'billing', alias: 'i' })).toBe(
      'billing . "Invoices"',
    );
    expect(placed('SELECT 1 FROM "we""ird"', { relation: 'we"ird', alias: 'we"ird' })).toBe('"we""ird"');
  });

  it('picks the n-th unaliased reference for PostgreSQL’s numbered aliases (orders_1)', () => {
    const sql = 'SELECT * FROM orders WHERE id IN (SELECT id FROM orders WHERE total > 5)';
    expect(startOf(sql, { relation: 'orders', alias: 'orders' })).toBe(sql.indexOf('orders'));
    expect(startOf(sql, { relation: 'orders', alias: 'orders_1' })).toBe(sql.lastIndexOf('orders'));
  });

  it('finds write targets and references inside CTEs and subqueries', () => {
    expect(placed("UPDATE accounts SET plan = 'pro' WHERE id = 1", { relation: 'accounts', alias: 'accounts' })).toBe('accounts');
    expect(placed('DELETE FROM ONLY logs l USING users u WHERE l.user_id = u.id', { relation: 'users', alias: 'u' })).toBe('users');
    const cte = 'WITH recent AS (SELECT * FROM events WHERE at > now()) SELECT * FROM recent r';
    expect(placed(cte, { relation: 'events', alias: 'events' })).toBe('events');
  });

  it('counts UTF-16 offsets after non-ASCII text, and works on any statement of a document', () => {
    const sql = "SELECT '🐘 é' AS x;\nSELECT * FROM café c";
    expect(placed(sql, { relation: 'café', alias: 'c' }, 1)).toBe('café');
  });

  it('returns undefined when the plan scans a table the text does not name (a view’s base table)', () => {
    expect(placed('SELECT * FROM pro_accounts', { relation: 'accounts', alias: 'accounts' })).toBeUndefined();
  });
});
