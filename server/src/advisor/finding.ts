import type { AnalyzedStatement } from '../analyze';
import type { Finding, Fix, Severity } from '../finding';
import { locateRelation } from '../plan/locate';
import { parseSql } from '../sql/parse';
import type { LineIndex } from '../text/line-index';
import type { IndexSuggestion } from './suggestion';
import { formatBytes, formatCost, formatReduction } from './format';

/**
 * An `index-suggestion` Finding for a verified suggestion, placed on the table reference in the query
 * (through the region's position map), with the costs and DDL in `data` and the migration as its fix.
 */
export const INDEX_SUGGESTION_CODE = 'index-suggestion';
export const INDEX_SUGGESTION_SEVERITY: Severity = 'information';

export interface SuggestionFindingInput {
  file: string;
  lines: LineIndex;
  statement: AnalyzedStatement;
  suggestion: IndexSuggestion;
  fixes?: Fix[];
  severity?: Severity;
}

export function indexSuggestionFinding(input: SuggestionFindingInput): Finding {
  const { suggestion, statement } = input;
  const finding: Finding = {
    file: input.file,
    range: input.lines.rangeOf(...placement(statement, suggestion)),
    severity: input.severity ?? INDEX_SUGGESTION_SEVERITY,
    code: INDEX_SUGGESTION_CODE,
    message: suggestionMessage(suggestion),
    data: {
      ddl: suggestion.ddl,
      table: suggestion.table,
      kind: suggestion.kind,
      costBefore: suggestion.costBefore,
      costAfter: suggestion.costAfter,
      sizeBytes: suggestion.sizeBytes,
      verifiedBy: suggestion.verifiedBy,
    },
  };
  if (input.fixes?.length) finding.fixes = input.fixes;
  return finding;
}

/** What is wrong and what to do, in one line each. */
export function suggestionMessage(suggestion: IndexSuggestion): string {
  return (
    `An index would cut this query's estimated cost on ${suggestion.table} from ${formatCost(suggestion.costBefore)} to ${formatCost(suggestion.costAfter)} ` +
    `(${reduction(suggestion)}, verified with ${suggestion.verifiedBy === 'hypopg' ? 'hypopg' : 'a rolled-back build'}). ` +
    `Create it with a migration (quick fix) or run: ${suggestion.ddl}; (about ${formatBytes(suggestion.sizeBytes)}).`
  );
}

/** Header lines for the migration file: what the index is for and what it was measured to do. */
export function migrationComment(suggestion: IndexSuggestion, query: string): string[] {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return [
    `Suggested by pglens for: ${oneLine.length > 100 ? `${oneLine.slice(0, 97)}...` : oneLine}`,
    `Estimated cost ${formatCost(suggestion.costBefore)} -> ${formatCost(suggestion.costAfter)} (${reduction(suggestion)}), verified with ${suggestion.verifiedBy}; about ${formatBytes(suggestion.sizeBytes)}.`,
  ];
}

function reduction(suggestion: Pick<IndexSuggestion, 'costBefore' | 'costAfter'>): string {
  return formatReduction(suggestion.costBefore, suggestion.costAfter);
}

/** Document offsets of the table reference, else of the whole statement. */
function placement(statement: AnalyzedStatement, suggestion: IndexSuggestion): [number, number] {
  const parsed = statement.statement ? parseSql(statement.region.sql) : undefined;
  if (parsed?.ok && statement.statement) {
    const target = { relation: suggestion.relation.name, schema: suggestion.relation.schema, alias: suggestion.relation.alias ?? suggestion.relation.name };
    const span = locateRelation(statement.statement, statement.region.sql, parsed.offsetOf, target);
    if (span) {
      const range = statement.region.map.toDocumentRange(span.start, span.end);
      return [range.start, range.end];
    }
  }
  return [statement.docStart, statement.docEnd];
}
