import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/analyze';
import { DEFAULT_SETTINGS, type PglensSettings } from '../../server/src/config';
import type { Finding } from '../../server/src/finding';
import { EMPTY_CATALOG, type Catalog } from '../../server/src/schema/catalog';
import { buildWorkspaceCatalog } from '../../server/src/schema/workspace-catalog';
import { loadParser } from '../../server/src/sql/parse';
import { LineIndex } from '../../server/src/text/line-index';

/**
 * Runs a rule's `valid` and `invalid` cases through the real engine (`analyzeDocument` on a .sql
 * document), in the style of typescript-eslint's RuleTester: a valid case yields no finding of the
 * rule; an invalid case states the exact text each finding marks and, where a fix exists, the SQL
 * after applying it (`output: null` asserts there is no fix).
 */
export interface ValidCase {
  sql: string;
  /** DDL for the catalog of this case; the suite's `schema` otherwise. */
  schema?: string;
  /** Why this must pass; shown as the test name. */
  name?: string;
}

export interface InvalidCase extends ValidCase {
  /** The text each finding marks, in document order. */
  marked: string | string[];
  /** The SQL after applying the first fix of every finding; `null` when no finding offers a fix. */
  output?: string | null;
  /** A pattern every finding's message must match. */
  message?: RegExp;
}

export interface RuleSuite {
  /** DDL read into the catalog for every case (through the real workspace catalog builder). */
  schema?: string;
  settings?: Partial<PglensSettings>;
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

/** A catalog built from DDL text, as the workspace loader would build it. */
export function catalogFrom(ddl: string | undefined): Catalog {
  return ddl === undefined ? EMPTY_CATALOG : buildWorkspaceCatalog([{ file: 'schema.sql', text: ddl }]);
}

/** The findings of one rule for `sql` as a .sql document. */
export function findingsOf(code: string, sql: string, catalog: Catalog, settings: PglensSettings = DEFAULT_SETTINGS): Finding[] {
  return analyzeDocument('x.sql', sql, { catalog, settings }).findings.filter((finding) => finding.code === code);
}

/** `text` with the first fix of every finding applied (edits applied from the end backwards). */
export function applyFixes(text: string, findings: Finding[]): string {
  const lines = new LineIndex(text);
  const edits = findings
    .flatMap((finding) => finding.fixes?.[0]?.edits ?? [])
    .map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

export function markedText(text: string, finding: Finding): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(finding.range.start), lines.offsetAt(finding.range.end));
}

export function ruleTester(code: string, suite: RuleSuite): void {
  beforeAll(loadParser);
  const settings: PglensSettings = { ...DEFAULT_SETTINGS, ...suite.settings };
  const catalogs = new Map<string | undefined, Catalog>();
  const catalogOf = (schema: string | undefined): Catalog => {
    if (!catalogs.has(schema)) catalogs.set(schema, catalogFrom(schema));
    return catalogs.get(schema) as Catalog;
  };

  if (suite.valid.length > 0) describe(`${code}: valid`, () => {
    for (const entry of suite.valid) {
      const testCase = typeof entry === 'string' ? { sql: entry } : entry;
      it(testCase.name ?? testCase.sql, () => {
        const findings = findingsOf(code, testCase.sql, catalogOf(testCase.schema ?? suite.schema), settings);
        expect(findings.map((finding) => markedText(testCase.sql, finding))).toEqual([]);
      });
    }
  });

  if (suite.invalid.length > 0) describe(`${code}: invalid`, () => {
    for (const testCase of suite.invalid) {
      it(testCase.name ?? testCase.sql, () => {
        const findings = findingsOf(code, testCase.sql, catalogOf(testCase.schema ?? suite.schema), settings);
        const marked = Array.isArray(testCase.marked) ? testCase.marked : [testCase.marked];
        expect(findings.map((finding) => markedText(testCase.sql, finding))).toEqual(marked);
        for (const finding of findings) {
          if (testCase.message) expect(finding.message).toMatch(testCase.message);
        }
        if (testCase.output === null) expect(findings.flatMap((finding) => finding.fixes ?? [])).toEqual([]);
        else if (testCase.output !== undefined) expect(applyFixes(testCase.sql, findings)).toBe(testCase.output);
      });
    }
  });
}
