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

export interface ReportOptions extends PlanFindingOptions {
  docsUrl?: (code: string) => string | undefined;
  /** The user's view of a finding: another severity, or undefined to leave it out (the rule is off). */
  adjust?: (finding: PlanFinding) => PlanFinding | undefined;
}

export function reportPlan(outcome: ExplainSuccess, options: ReportOptions = {}): PlanReport | { error: string } {
  const parsed = parsePlan(outcome.json);
  if (!parsed.ok) return { error: parsed.message };
  const all = planFindings(parsed.plan, options);
  const adjust = options.adjust;
  const findings = adjust ? all.flatMap((finding) => adjust(finding) ?? []) : all;
  const notes = planNotes(outcome);
  return { plan: parsed.plan, findings, markdown: renderPlanMarkdown(parsed.plan, { findings, notes, docsUrl: options.docsUrl }) };
}

/** What to say above a plan: why ANALYZE was not run, a generic plan, sampled parameter values. */
export function planNotes(outcome: ExplainSuccess): string[] {
  return [
    ...(outcome.analyzeSkipped ? [`${outcome.analyzeSkipped}.`] : []),
    ...(outcome.genericPlan ? ['Generic plan: parameters were planned without values.'] : []),
    ...outcome.notes.map((note) => `Parameter ${note}.`),
  ];
}
