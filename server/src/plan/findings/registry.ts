import { ancestorsIn } from '../ancestors';
import type { Plan } from '../model';
import { diskSpill } from './disk-spill';
import { DEFAULT_PLAN_FINDING_OPTIONS, type PlanFinding, type PlanFindingOptions, type PlanRule } from './plan-rule';
import { rowMisestimate } from './row-misestimate';
import { seqScan } from './seq-scan';

/** Every plan rule, in reporting order; each has `docs/rules/<code>.md`. */
export const PLAN_RULES: readonly PlanRule[] = [seqScan, rowMisestimate, diskSpill];

/** Runs the plan rules (`options.rules`, default all) over `plan`. */
export function planFindings(plan: Plan, options: PlanFindingOptions = {}): PlanFinding[] {
  const ancestors = ancestorsIn(plan);
  const settings = {
    seqScanMinRows: options.seqScanMinRows ?? DEFAULT_PLAN_FINDING_OPTIONS.seqScanMinRows,
    misestimateFactor: options.misestimateFactor ?? DEFAULT_PLAN_FINDING_OPTIONS.misestimateFactor,
    misestimateMinRows: options.misestimateMinRows ?? DEFAULT_PLAN_FINDING_OPTIONS.misestimateMinRows,
  };
  const findings: PlanFinding[] = [];
  for (const rule of options.rules ?? PLAN_RULES) {
    rule.check({
      plan,
      options: settings,
      catalog: options.catalog,
      ancestors,
      report: ({ node, ...rest }) => {
        const finding: PlanFinding = { code: rule.code, severity: rule.severity, ...rest, node: { id: node.id, nodeType: node.nodeType, label: node.label } };
        for (const key of ['relation', 'schema', 'alias'] as const) if (finding[key] === undefined) delete finding[key];
        findings.push(finding);
      },
    });
  }
  return findings;
}

export type { PlanFinding, PlanFindingOptions, PlanRule } from './plan-rule';
