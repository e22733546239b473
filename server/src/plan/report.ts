import type { ExplainSuccess } from '../db/explain';
import { planFindings, type PlanFinding, type PlanFindingOptions } from './findings/registry';
import { renderPlanMarkdown } from './markdown';
import type { Plan } from './model';
import { parsePlan } from './parse';

/** An EXPLAIN result read into the plan model, its findings, and the hover text — in one call. */
export interface PlanReport {
  plan: Plan;
  findings: PlanFinding[];
  markdown: string;
}

export function reportPlan(
  outcome: ExplainSuccess,
  options: PlanFindingOptions & { docsUrl?: (code: string) => string | undefined } = {},
): PlanReport | { error: string } {
  const parsed = parsePlan(outcome.json);
  if (!parsed.ok) return { error: parsed.message };
  const findings = planFindings(parsed.plan, options);
  const notes = [
    ...(outcome.analyzeSkipped ? [`${outcome.analyzeSkipped}.`] : []),
    ...(outcome.genericPlan ? ['Generic plan: parameters were planned without values.'] : []),
    ...outcome.notes.map((note) => `Parameter ${note}.`),
  ];
  return { plan: parsed.plan, findings, markdown: renderPlanMarkdown(parsed.plan, { findings, notes, docsUrl: options.docsUrl }) };
}
