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
  const references = collectReferences(statement.stmt);
  const sameTable = references.filter(
    (r) => r.name === target.relation && (!target.schema || !r.schema || r.schema === target.schema) && r.location !== undefined,
  );
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

interface Reference extends RelationRef {
  /** How many SELECTs enclose it: 0 for the statement's own FROM items. */
  depth: number;
}

/**
 * Every table reference, in the order PostgreSQL numbers repeated names: the outer query's references
 * first (its range table comes first; subqueries pulled up into it are appended), then by position.
 */
function collectReferences(stmt: unknown): Reference[] {
  const found: Reference[] = [];
  const visit = (value: unknown, depth: number): void => {
    walkNodesShallow(value, (type, node) => {
      if (type === 'RangeVar') found.push({ ...relationRef(node), depth });
      visit(node, type === 'SelectStmt' ? depth + 1 : depth);
    });
  };
  // The statement itself is depth 0 even when it is a SELECT.
  const [type, body] = Object.entries(stmt as Record<string, unknown>)[0] ?? [];
  if (type === 'SelectStmt') visit(body, 0);
  else visit(stmt, 0);
  return found.sort((a, b) => a.depth - b.depth || (a.location ?? 0) - (b.location ?? 0));
}

/** Like walkNodes, but stops at each node found (the visitor decides whether to go deeper). */
function walkNodesShallow(root: unknown, visit: (type: string, node: Record<string, unknown>) => void): void {
  walkNodes(root, () => undefined, (type, node) => {
    visit(type, node);
    return false;
  });
}

function numbered(references: Reference[], relation: string, alias: string): Reference | undefined {
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
