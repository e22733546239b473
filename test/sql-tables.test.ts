import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../server/src/sql/parse';
import { qualifiedName, statementTables } from '../server/src/sql/tables';

beforeAll(loadParser);

function tablesOf(sql: string): { reads: string[]; writes: string[] } {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  const { reads, writes } = statementTables(parsed.statements[0].stmt);
  return { reads: reads.map(qualifiedName), writes: writes.map(qualifiedName) };
}

describe('statementTables', () => {
  it.each([
    ['SELECT id FROM users', ['users'], []],
    ['SELECT * FROM public.users u JOIN orders o ON o.user_id = u.id', ['public.users', 'orders'], []],
    ['SELECT 1 WHERE EXISTS (SELECT 1 FROM a WHERE a.id IN (SELECT id FROM b))', ['a', 'b'], []],
    ['SELECT * FROM a UNION SELECT * FROM b', ['a', 'b'], []],
    ['INSERT INTO audit (id) SELECT id FROM users', ['users'], ['audit']],
    ['UPDATE t SET a = 1 FROM u WHERE t.id = u.id', ['u'], ['t']],
    ['DELETE FROM t USING u WHERE t.id = u.id', ['u'], ['t']],
    ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', ['s'], ['t']],
    ['SELECT * INTO archive FROM orders', ['orders'], ['archive']],
    ['CREATE TABLE archive AS SELECT * FROM orders', ['orders'], ['archive']],
    ['CREATE INDEX ON users (email)', [], ['users']],
    ['CREATE TABLE s.t (id int REFERENCES parent (id))', ['parent'], ['s.t']],
    ['CREATE SEQUENCE counter', [], []],
    ['ALTER TABLE users ADD COLUMN age int', [], ['users']],
    ['DROP TABLE s.t1, t2', [], ['s.t1', 't2']],
    ['DROP FUNCTION f()', [], []],
    ['TRUNCATE a, b', [], ['a', 'b']],
    ['COPY users FROM STDIN', [], ['users']],
    ['COPY users TO STDOUT', ['users'], []],
    ['EXPLAIN SELECT * FROM orders', ['orders'], []],
    ['CREATE VIEW v AS SELECT * FROM users', ['users'], ['v']],
    ['SELECT 1', [], []],
  ])('%s', (sql, reads, writes) => {
    expect(tablesOf(sql)).toEqual({ reads, writes });
  });

  it('leaves CTE references out, but not a table a CTE shadows inside its own body', () => {
    expect(tablesOf('WITH recent AS (SELECT * FROM orders) SELECT * FROM recent JOIN users ON true')).toEqual({
      reads: ['orders', 'users'],
      writes: [],
    });
    // A non-recursive CTE named like a table reads the real table in its own body.
    expect(tablesOf('WITH users AS (SELECT * FROM users WHERE active) SELECT * FROM users')).toEqual({
      reads: ['users'],
      writes: [],
    });
    expect(tablesOf('WITH RECURSIVE tree AS (SELECT id FROM nodes UNION ALL SELECT n.id FROM nodes n JOIN tree ON true) SELECT * FROM tree')).toEqual({
      reads: ['nodes'],
      writes: [],
    });
    // A data-modifying CTE writes its target.
    expect(tablesOf('WITH moved AS (DELETE FROM inbox RETURNING *) INSERT INTO archive SELECT * FROM moved')).toEqual({
      reads: [],
      writes: ['inbox', 'archive'],
    });
  });

  it('lists a table once, with the location of its first reference', () => {
    const parsed = parseSql('SELECT * FROM users a JOIN users b ON a.id = b.parent_id');
    if (!parsed.ok) throw new Error(parsed.message);
    const { reads } = statementTables(parsed.statements[0].stmt);
    expect(reads).toEqual([{ name: 'users', location: 14 }]);
  });
});
