import type { PglensSettings } from '../../config';
import type { Severity } from '../../finding';
import type { SqlRegion } from '../../extract/region';
import type { Catalog } from '../../schema/catalog';
import type { ParsedStatement } from '../parse';
import { STATEMENT_RULES } from './registry';
import type { SqlReport } from './rule';

export type RuleOutcome =
  | { code: string; severity: Severity; report: SqlReport }
  | { code: string; error: unknown };

interface StatementInput {
  statement: ParsedStatement;
  region: SqlRegion;
  offsetOf: (byteLocation: number) => number;
  catalog: Catalog;
  settings: PglensSettings;
}

/**
 * Runs every enabled statement rule on one statement. A rule's result depends only on the SQL text, the
 * catalog and the settings (rule.ts states that contract), so results are memoised on exactly those:
 * re-analysing a document after an edit re-runs the rules only on the SQL that changed. A new catalog
 * (schema reload) or new settings object starts a fresh memo.
 */
export function runStatementRules(input: StatementInput): readonly RuleOutcome[] {
  const memo = memoFor(input.catalog, input.settings);
  // The statement's own text, not the region's: a parsed .sql file is one region, and a key holding the
  // whole file per statement costs memory quadratic in the file (50,000 statements ran out of heap).
  // Offsets the rules report depend only on the statement's text and where it starts.
  const { region, statement } = input;
  const key = `${region.origin}:${region.explicit}:${region.callee ?? ''}:${statement.start}:${region.sql.slice(statement.start, statement.end)}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const outcomes: RuleOutcome[] = [];
  for (const rule of STATEMENT_RULES) {
    if (input.settings.rules[rule.code] === 'off') continue;
    try {
      rule.check({ ...input, report: (report) => outcomes.push({ code: rule.code, severity: rule.severity, report }) });
    } catch (error) {
      outcomes.push({ code: rule.code, error });
    }
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(key, outcomes);
  return outcomes;
}

const MEMO_LIMIT = 10_000;
const memos = new WeakMap<Catalog, WeakMap<PglensSettings, Map<string, RuleOutcome[]>>>();

function memoFor(catalog: Catalog, settings: PglensSettings): Map<string, RuleOutcome[]> {
  let bySettings = memos.get(catalog);
  if (!bySettings) memos.set(catalog, (bySettings = new WeakMap()));
  let memo = bySettings.get(settings);
  if (!memo) bySettings.set(settings, (memo = new Map()));
  return memo;
}
