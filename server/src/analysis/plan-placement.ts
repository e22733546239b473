import type { Finding } from '../finding';
import type { PlanFinding } from '../plan/findings/registry';
import { locateRelation } from '../plan/locate';
import { parseSql } from '../sql/parse';
import type { LineIndex } from '../text/line-index';
import type { ExplainableStatement } from './explainable';

/**
 * A plan finding as a Finding on the document: on the table reference the plan node scans (found by
 * alias in the statement's AST, mapped through the region's PositionMap), else on the whole statement.
 */
export function placePlanFinding(file: string, lines: LineIndex, target: ExplainableStatement, finding: PlanFinding): Finding {
  const { statement } = target;
  const region = statement.region;
  let start = statement.docStart;
  let end = statement.docEnd;
  const parsed = parseSql(region.sql); // memoised: the analysis parsed this very text
  if (finding.relation && parsed.ok) {
    const span = locateRelation(statement.statement, region.sql, parsed.offsetOf, {
      relation: finding.relation,
      schema: finding.schema,
      alias: finding.alias,
    });
    if (span) ({ start, end } = region.map.toDocumentRange(span.start, span.end));
  }
  return {
    file,
    range: lines.rangeOf(start, end),
    severity: finding.severity,
    code: finding.code,
    message: finding.message,
    data: { ...finding.data, fix: finding.fix, planNode: finding.node },
  };
}
