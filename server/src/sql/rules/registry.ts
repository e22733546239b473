import { PLAN_RULES } from '../../plan/findings/registry';
import { missingLimit } from './missing-limit';
import type { SqlRule } from './rule';
import { selectStar } from './select-star';
import { sqlSyntax } from './sql-syntax';

/**
 * Every statement rule pglens runs, in reporting order. `sql-syntax` is listed apart: it runs on a
 * parse failure instead of a statement.
 */
export const STATEMENT_RULES: readonly SqlRule[] = [selectStar, missingLimit];

export { sqlSyntax };

/** Every rule code with its default severity and summary, for docs, settings and the CLI; plan rules last. */
export function allRules(): { code: string; severity: string; summary: string }[] {
  return [sqlSyntax, ...STATEMENT_RULES, ...PLAN_RULES].map((rule) => ({
    code: rule.code,
    severity: rule.severity,
    summary: rule.docs.summary,
  }));
}
