import type { Finding } from '../../../server/src/finding';
import type { PlanPageInput } from '../../../server/src/plan/view';
import type { PlanResponse } from '../../../server/src/protocol';

/**
 * What the plan page shows for a `pglens/plan` response. Findings keep their order (the page's
 * `applyFix` carries the index); each button is labelled with the fix it runs, or absent without one.
 */
export function planPageInput(response: PlanResponse, options: { nonce: string; title: string }): PlanPageInput {
  return {
    query: response.query,
    json: response.planJson,
    analyzed: response.analyzed,
    database: response.database,
    findings: response.findings.map((finding) => ({
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      action: fixOf(finding)?.title ?? null,
      node: planNodeOf(finding),
    })),
    suggestions: response.suggestions,
    theme: 'vscode',
    nonce: options.nonce,
    title: options.title,
  };
}

/** The fix a button applies: the preferred one, else the first. */
export function fixOf(finding: Finding): NonNullable<Finding['fixes']>[number] | undefined {
  return finding.fixes?.find((fix) => fix.preferred) ?? finding.fixes?.[0];
}

/** A plan finding names its plan node in `data.planNode` (server/src/analysis/plan-placement.ts). */
function planNodeOf(finding: Finding): { id: number } | undefined {
  const node = finding.data?.planNode as { id?: unknown } | undefined;
  return typeof node?.id === 'number' ? { id: node.id } : undefined;
}
