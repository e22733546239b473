import { effectiveSeverity } from '../analyze';
import type { PglensSettings } from '../config';
import type { Catalog } from '../schema/catalog';
import { PLAN_RULES, type PlanFinding, type PlanRule } from '../plan/findings/registry';
import type { ReportOptions } from '../plan/report';

/** The plan rules a settings object leaves on, and their severities as one string (a cache key). */
interface RulesInForce {
  rules: readonly PlanRule[];
  severities: string;
}

/** Read once per settings object: settings are replaced when they change, never changed in place. */
const inForce = new WeakMap<PglensSettings, RulesInForce>();

export function planRulesInForce(settings: PglensSettings): RulesInForce {
  let known = inForce.get(settings);
  if (!known) {
    const severities = PLAN_RULES.map((rule) => effectiveSeverity(rule.code, rule.severity, settings));
    known = { rules: PLAN_RULES.filter((_, i) => severities[i] !== undefined), severities: severities.map((s) => s ?? 'off').join(',') };
    inForce.set(settings, known);
  }
  return known;
}

/** False when the user turned every plan rule off: no plan needs to be read for diagnostics. */
export function planRulesOn(settings: PglensSettings): boolean {
  return planRulesInForce(settings).rules.length > 0;
}

/** The finding as the user configured it: their severity, or undefined when the rule is `off`. */
export function adjustPlanFinding(finding: PlanFinding, settings: PglensSettings): PlanFinding | undefined {
  const severity = effectiveSeverity(finding.code, finding.severity, settings);
  if (!severity) return undefined;
  return severity === finding.severity ? finding : { ...finding, severity };
}

/** How the user's settings read a plan: their row threshold, only the rules left on, at their severities. */
export function planReportOptions(settings: PglensSettings, catalog?: Catalog, docsUrl?: (code: string) => string | undefined): ReportOptions {
  return {
    seqScanMinRows: settings.seqScan.minRows,
    catalog,
    docsUrl,
    rules: planRulesInForce(settings).rules,
    adjust: (finding) => adjustPlanFinding(finding, settings),
  };
}
