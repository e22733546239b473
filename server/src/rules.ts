import { INDEX_SUGGESTION_CODE, INDEX_SUGGESTION_SEVERITY } from './advisor/finding';
import { queryInLoop } from './code/query-in-loop';
import { PLAN_RULES } from './plan/findings/registry';
import { STATEMENT_RULES, sqlSyntax } from './sql/rules/registry';

export interface RuleSummary {
  code: string;
  severity: string;
  summary: string;
}

const indexSuggestion = {
  code: INDEX_SUGGESTION_CODE,
  severity: INDEX_SUGGESTION_SEVERITY,
  docs: { summary: 'An index, verified by the planner, that makes a query markedly cheaper; the quick fix writes it as a migration.' },
};

/**
 * Every rule pglens reports, whatever layer finds it — statement rules, the N+1 detector, plan rules,
 * the index advisor — with its default severity and summary, for docs, SARIF and settings.
 */
export function allRules(): RuleSummary[] {
  return [sqlSyntax, ...STATEMENT_RULES, queryInLoop, ...PLAN_RULES, indexSuggestion].map((rule) => ({
    code: rule.code,
    severity: rule.severity,
    summary: rule.docs.summary,
  }));
}
