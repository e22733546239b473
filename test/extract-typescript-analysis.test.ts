import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../server/src/analyze';
import { DEFAULT_SETTINGS } from '../server/src/config';
import { EMPTY_CATALOG } from '../server/src/schema/catalog';
import { loadParser } from '../server/src/sql/parse';

beforeAll(loadParser);

const options = { catalog: EMPTY_CATALOG, settings: DEFAULT_SETTINGS };

/** The document text under a finding's range (single-line ranges). */
function underline(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const line = text.split('\n')[range.start.line];
  expect(range.end.line).toBe(range.start.line);
  return line.slice(range.start.character, range.end.character);
}

describe('SQL from TypeScript through the engine', () => {
  it('places a sql-syntax error inside a template literal on the exact characters, after interpolations', () => {
    const text = [
      'export async function recent(org: string, since: Date) {',
      '  return sql`',
      '    SELECT id, name FROM users',
      '    WHERE org = ${org} AND created_at > ${since}',
      '    ORDER name',
      '  `;',
      '}',
    ].join('\n');
    const { findings, statements } = analyzeDocument('repo.ts', text, options);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.code).toBe('sql-syntax');
    expect(finding.message).toMatch(/syntax error at or near "name"/i);
    expect(finding.range.start).toEqual({ line: 4, character: 10 });
    expect(underline(text, finding.range)).toBe('name');
    expect(statements.map((s) => s.kind)).toEqual(['invalid']);
  });

  it('places an error after escapes and non-ASCII text in a quoted string on the raw characters', () => {
    const text = 'await pool.query("SELECT \\"name\\", \'🐘\' FROM caf\\u00e9 WHERE WHERE id = $1", [id]);';
    const [finding] = analyzeDocument('repo.ts', text, options).findings;
    expect(finding.code).toBe('sql-syntax');
    expect(underline(text, finding.range)).toBe('WHERE');
    expect(finding.range.start.character).toBe(text.indexOf('WHERE WHERE') + 6);
  });

  it('reports nothing for a label passed to a generic execute call, or for fragments and spliced identifiers', () => {
    const text = [
      'dialog.execute("Select a plan * from the list");',
      'const where = sql`AND deleted_at IS NULL AND`;',
      "knex('users').whereRaw('id = = ?', [1]);",
      'pool.query(`SELECT * FROM ${table} WHERE`);',
      'db.none("update your settings, then try again");',
    ].join('\n');
    const result = analyzeDocument('ui.ts', text, options);
    expect(result.findings).toEqual([]);
  });

  it('parses every well-formed form the extractor produces', () => {
    const text = [
      'pool.query("SELECT id FROM users WHERE id = $1", [id]);',
      'sql`SELECT * FROM users WHERE org = ${org} ${sql`AND name = ${name}`} LIMIT ${n}`;',
      'db.oneOrNone("SELECT * FROM users WHERE id = ${id} AND name = $<name>", { id, name });',
      "knex.raw('select * from users where id = ? and tags \\\\? ?', [1, 't']);",
      'prisma.$queryRawUnsafe(`SELECT * FROM t WHERE id = ${id} AND a = $1`, a);',
      'const Q = /* sql */ `INSERT INTO t (a, b) VALUES (${a}, ${b}) RETURNING id`;',
      "sequelize.query('SELECT * FROM users WHERE id = :id AND born::date > ? AND data ? :key', opts);",
    ].join('\n');
    const { findings, statements } = analyzeDocument('all.ts', text, options);
    expect(findings.filter((f) => f.code === 'sql-syntax')).toEqual([]);
    expect(statements.map((s) => s.kind)).toEqual(['SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'InsertStmt', 'SelectStmt']);
  });

  it('lets a pglens-ignore comment above the call silence a finding in a multi-line query', () => {
    const text = '// pglens-ignore sql-syntax\nawait pool.query(`\n  SELEC 1\n`);\n';
    expect(analyzeDocument('a.ts', text, options).findings).toEqual([]);
  });
});
