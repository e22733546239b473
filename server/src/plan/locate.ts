import type { ParsedStatement } from '../sql/parse';
import { relationRef, walkNodes, type RelationRef } from '../db/ast';

/**
 * Where a plan finding belongs in the SQL text: the table reference (FROM/JOIN item, or the target of
 * INSERT/UPDATE/DELETE/MERGE) the plan node scans. Matching goes by alias first, as the plan names scans
 * by alias; a plan alias like `orders_1` (PostgreSQL numbering repeated, unaliased references) picks
 * the second reference to `orders`.
 */
export interface RelationTarget {
  relation: string;
  schema?: string;
  alias?: string;
}

export interface TextSpan {
  /** UTF-16 offsets into the parsed text; the span covers the (possibly qualified, quoted) table name. */
  start: number;
  end: number;
}

export function locateRelation(
  statement: ParsedStatement,
  sql: string,
  offsetOf: (byteLocation: number) => number,
  target: RelationTarget,
): TextSpan | undefined {
  const references: RelationRef[] = [];
  walkNodes(statement.stmt, (type, node) => {
    if (type === 'RangeVar') references.push(relationRef(node));
  });
  const sameTable = references.filter(
    (r) => r.name === target.relation && (!target.schema || !r.schema || r.schema === target.schema) && r.location !== undefined,
  );
  sameTable.sort((a, b) => (a.location ?? 0) - (b.location ?? 0));
  const alias = target.alias;
  const chosen =
    (alias && sameTable.find((r) => r.alias === alias)) ||
    (alias && sameTable.find((r) => !r.alias && alias === r.name)) ||
    (alias && numbered(sameTable, target.relation, alias)) ||
    // A CTE or view named like the alias: its reference is where the scan comes from.
    (alias && references.find((r) => r.alias === alias && r.location !== undefined)) ||
    sameTable[0];
  if (!chosen || chosen.location === undefined) return undefined;
  const start = offsetOf(chosen.location);
  return { start, end: qualifiedNameEnd(sql, start) };
}

function numbered(references: RelationRef[], relation: string, alias: string): RelationRef | undefined {
  const match = new RegExp(`^${escapeRegExp(relation)}_(\\d+)$`).exec(alias);
  if (!match) return undefined;
  const unaliased = references.filter((r) => !r.alias || r.alias === relation);
  return unaliased[Number(match[1])];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The end of `schema.table`, `"Quoted"."Name"` or `table` starting at `start`. */
function qualifiedNameEnd(sql: string, start: number): number {
  let i = start;
  for (;;) {
    if (sql[i] === '"') {
      i++;
      while (i < sql.length) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
    } else {
      while (i < sql.length && /[\p{L}\p{N}_$]/u.test(sql[i])) i++;
    }
    // `schema . table` may have spaces around the dot.
    let j = i;
    while (j < sql.length && /\s/.test(sql[j])) j++;
    if (sql[j] !== '.') return i > start ? i : start + 1;
    j++;
    while (j < sql.length && /\s/.test(sql[j])) j++;
    i = j;
  }
}
