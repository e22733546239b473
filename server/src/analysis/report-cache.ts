import type { PglensSettings } from '../config';
import type { ExplainSuccess } from '../db/explain';
import { reportPlan, type PlanReport } from '../plan/report';
import type { Catalog } from '../schema/catalog';
import { planReportOptions, planRulesInForce } from './plan-settings';

/**
 * Reads a plan (model, findings, Markdown) once per plan: the runner hands out the same JSON object
 * for every cache hit, so a hover on a cached plan does not parse and render it again. A new plan
 * (the schema or statistics changed) is a new object, and the old entry goes with it.
 */
const reports = new WeakMap<object, Map<string, PlanReport | { error: string }>>();

export function cachedReport(
  outcome: ExplainSuccess,
  settings: PglensSettings,
  catalog: Catalog | undefined,
  docsUrl: ((code: string) => string | undefined) | undefined,
): PlanReport | { error: string } {
  const read = () => reportPlan(outcome, planReportOptions(settings, catalog, docsUrl));
  const json = outcome.json;
  // Notes (sampled parameters, a skipped ANALYZE) are part of the Markdown; only plain plans are shared.
  if (typeof json !== 'object' || json === null || outcome.analyzed || outcome.notes.length || outcome.analyzeSkipped) return read();
  const key = [
    settings.seqScan.minRows,
    planRulesInForce(settings).severities,
    catalog ? 1 : 0,
    docsUrl ? 1 : 0,
    outcome.genericPlan ? 1 : 0,
  ].join('|');
  let byKey = reports.get(json);
  if (!byKey) reports.set(json, (byKey = new Map()));
  let report = byKey.get(key);
  if (!report) byKey.set(key, (report = read()));
  return report;
}
