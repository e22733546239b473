import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../server/src/analyze';
import { DEFAULT_SETTINGS } from '../server/src/config';
import { extractSqlFile } from '../server/src/extract/sql-file';
import { EMPTY_CATALOG } from '../server/src/schema/catalog';
import { loadParser } from '../server/src/sql/parse';

beforeAll(loadParser);

const options = { catalog: EMPTY_CATALOG, settings: DEFAULT_SETTINGS };

describe('.sql files', () => {
  it('splits statements with the parser, keeping comments and semicolons in strings out of the split', () => {
    const text = "-- users\nSELECT ';' AS semi FROM users;\n/* block */\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n";
    const { statements } = analyzeDocument('q.sql', text, options);
    expect(statements.map((s) => text.slice(s.docStart, s.docEnd))).toEqual([
      "SELECT ';' AS semi FROM users",
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql',
    ]);
    expect(extractSqlFile(text)).toHaveLength(1); // a file that parses is parsed once, as a whole
  });

  it('reports one sql-syntax finding at the broken token and still analyses the other statements', () => {
    const text = 'SELECT id FROM users;\nSELEC name FROM users;\nSELECT 1;\n';
    const result = analyzeDocument('q.sql', text, options);
    // The first statement is still checked (an unbounded SELECT), the broken one reports sql-syntax.
    expect(result.findings.map((f) => f.code)).toEqual(['missing-limit', 'sql-syntax']);
    const finding = result.findings[1];
    expect(finding.severity).toBe('error');
    expect(finding.range).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    expect(finding.message).toMatch(/syntax error at or near "SELEC"/i);
    expect(result.statements.map((s) => s.kind)).toEqual(['SelectStmt', 'invalid', 'SelectStmt']);
  });

  it('places an end-of-input error on the last word, and counts UTF-16 after non-ASCII text', () => {
    const text = "SELECT 'héllo 🐘' AS x FROM";
    const [finding] = analyzeDocument('q.sql', text, options).findings;
    expect(finding.code).toBe('sql-syntax');
    expect(text.slice(finding.range.start.character, finding.range.end.character)).toBe('FROM');
  });

  it('honours pglens-ignore and rule severity overrides', () => {
    const text = '-- pglens-ignore sql-syntax\nSELEC 1;\n';
    expect(analyzeDocument('q.sql', text, options).findings).toHaveLength(0);
    const off = { ...options, settings: { ...DEFAULT_SETTINGS, rules: { 'sql-syntax': 'off' as const } } };
    expect(analyzeDocument('q.sql', 'SELEC 1', off).findings).toHaveLength(0);
    const asWarning = { ...options, settings: { ...DEFAULT_SETTINGS, rules: { 'sql-syntax': 'warning' as const } } };
    expect(analyzeDocument('q.sql', 'SELEC 1', asWarning).findings[0].severity).toBe('warning');
  });

  it('splits a broken file at top-level semicolons only, ignoring those in strings, comments and bodies', () => {
    const text = "SELECT 'a;b', \"c;d\" FROM t; -- x;y\nSELEC 1; /* p; /* q; */ r; */ SELECT $f$ ; $f$, E'\\';' ;\n";
    expect(extractSqlFile(text).map((r) => r.sql)).toEqual([
      `SELECT 'a;b', "c;d" FROM t`,
      'SELEC 1',
      "SELECT $f$ ; $f$, E'\\';'",
    ]);
  });

  it('skips binary files with a notice instead of analysing them', () => {
    const result = analyzeDocument('blob.sql', 'SELECT\u0000\u0001', options);
    expect(result.findings).toEqual([]);
    expect(result.skipped).toMatch(/binary/);
  });
});
