import type { Finding } from '../../finding';
import type { CheckReport } from './report';

/** The JSON contract scripts rely on; bump `version` only for a change that breaks readers. */
export const JSON_FORMAT_VERSION = 1;

/** One JSON object: `{"version":1,"findings":[…]}`, Findings as the engine produces them (0-based, UTF-16). */
export function formatJson(report: CheckReport): string {
  return `${JSON.stringify({ version: JSON_FORMAT_VERSION, findings: report.findings.map(toJson) })}\n`;
}

/** Fixed key order, so diffs of saved output stay readable. */
function toJson(finding: Finding): Finding {
  const { file, range, severity, code, message, data, fixes, related } = finding;
  return { file, range, severity, code, message, data: data ?? {}, ...(fixes ? { fixes } : {}), ...(related ? { related } : {}) };
}
