import type { ExplainSuccess } from '../../db/explain';
import type { Finding, Severity } from '../../finding';
import type { PlanFinding } from '../../plan/findings/registry';
import type { Plan } from '../../plan/model';
import { renderPlanPage, renderTextPlan } from '../../plan/view/index';
import type { Palette } from './color';

/** One `pglens explain` result, ready for any output format. */
export interface ExplainReport {
  /** The SQL sent to EXPLAIN. */
  query: string;
  /** `shop@localhost, PostgreSQL 15.4`, or the sandbox's description. */
  database: string;
  sandbox: boolean;
  outcome: ExplainSuccess;
  plan: Plan;
  /** Plan findings as the user's settings keep them. */
  findings: readonly PlanFinding[];
  /** The same findings placed in the file, when the query came from one (same order). */
  placed?: readonly Finding[];
  notes: readonly string[];
}

export type ExplainFormat = 'text' | 'json' | 'html';

export const EXPLAIN_FORMATS: readonly ExplainFormat[] = ['text', 'json', 'html'];

export function formatExplain(format: ExplainFormat, report: ExplainReport, colors: Palette): string {
  switch (format) {
    case 'text':
      return explainText(report, colors);
    case 'json':
      return `${JSON.stringify(explainJson(report), null, 2)}\n`;
    case 'html':
      return `${renderPlanPage({
        query: report.query,
        json: report.outcome.json,
        plan: report.plan,
        findings: report.findings.map((finding) => ({ code: finding.code, severity: finding.severity, message: finding.message, node: finding.node, action: null })),
        analyzed: report.outcome.analyzed,
        database: report.database,
        notes: report.notes,
        theme: 'light',
      })}\n`;
  }
}

/** The header, notes, the plan as psql prints it, then each finding with where it is. */
function explainText(report: ExplainReport, colors: Palette): string {
  const kind = report.outcome.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
  const origin = report.sandbox
    ? `the ${report.database} (synthetic data, not a real database)`
    : report.database;
  const out = [colors.bold(`${kind} on ${origin}`)];
  for (const note of report.notes) out.push(colors.dim(`note: ${note}`));
  out.push('', renderTextPlan(report.plan), '');
  if (report.findings.length === 0) out.push('No plan findings.');
  report.findings.forEach((finding, i) => {
    const placed = report.placed?.[i];
    const where = placed ? `${colors.bold(`${placed.file}:${placed.range.start.line + 1}:${placed.range.start.character + 1}`)} ` : '';
    out.push(`${where}${paint(finding.severity, colors)} ${colors.dim(finding.code)} ${finding.message}`);
  });
  return `${out.join('\n')}\n`;
}

function explainJson(report: ExplainReport): unknown {
  return {
    version: 1,
    query: report.query,
    database: report.database,
    sandbox: report.sandbox,
    analyzed: report.outcome.analyzed,
    genericPlan: report.outcome.genericPlan,
    notes: report.notes,
    plan: report.outcome.json,
    findings: report.findings.map((finding, i) => ({
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      fix: finding.fix,
      relation: finding.relation,
      node: finding.node,
      ...(report.placed?.[i] ? { file: report.placed[i].file, range: report.placed[i].range } : {}),
    })),
  };
}

function paint(severity: Severity, colors: Palette): string {
  if (severity === 'error') return colors.red(severity);
  if (severity === 'warning') return colors.yellow(severity);
  return severity === 'information' ? colors.blue(severity) : colors.dim(severity);
}
