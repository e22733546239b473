import type { Plan, PlanNode } from '../plan/model';
import type { TableInfo } from '../schema/catalog';
import type { IndexKey } from './index-definition';
import type { TableUse } from './table-usage';

/**
 * Whether an index the table already has serves what the query filters it by, read from the plan made
 * with sequential scans discouraged (`enable_seqscan = off`): a table whose filter columns all appear
 * in an existing index's Index Cond, as a leading prefix of that index, needs no new index for them.
 *
 * Two readings need care. A scan the setting could not avoid stays a Seq Scan: PostgreSQL 18 marks it
 * `Disabled`, older ones add a 1e10 cost; either way it means no index serves the table. And a
 * PostgreSQL 18 skip scan can put a non-leading column into Index Cond without the leading one, which
 * serves far less than a real prefix — so only a contiguous prefix of constrained keys counts.
 */
export interface ServedTable {
  use: TableUse;
  /** The existing index that serves every filter column of the table. */
  index: string;
}

const DISABLED_COST = 1e10;

export function servedTables(plan: Plan, uses: readonly TableUse[]): ServedTable[] {
  const served: ServedTable[] = [];
  for (const use of uses) {
    const filters = filterKeys(use);
    // With ORDER BY … LIMIT, an index that also delivers the order may still be much better.
    if (filters.length === 0 || use.order) continue;
    const alias = use.source.refName ?? use.table.name;
    if (plan.nodes.some((node) => seqScanUnavoidable(node) && sameTable(node, use.table) && (node.alias ?? node.relation) === alias)) continue;
    for (const scan of indexScansOf(plan, use)) {
      const index = use.table.indexes.find((i) => i.name === scan.index);
      if (!index || index.predicate) continue;
      const prefix = constrainedPrefix(index.columns, scan.cond);
      if (filters.every((key) => prefix.some((column) => sameKey(column, key)))) {
        served.push({ use, index: index.name });
        break;
      }
    }
  }
  return served;
}

/** True when the plan still scans the table sequentially although told not to: no index can serve it. */
export function seqScanUnavoidable(node: PlanNode): boolean {
  return node.nodeType === 'Seq Scan' && (node.disabled === true || node.totalCost >= DISABLED_COST);
}

/**
 * What the table is reached by: the columns and expressions it is filtered on, or — when it has no
 * filter of its own — the columns a join probes it by. A table filtered by an index need not also be
 * reachable by its join key: it is the outer side of that join.
 */
function filterKeys(use: TableUse): IndexKey[] {
  const own = use.predicates.filter((p) => p.op !== 'not-null').map((p) => p.key);
  const keys = own.length > 0 ? own : use.joins;
  return keys.filter((key, i) => keys.findIndex((k) => k.sql === key.sql) === i);
}

/** Index scans on the table with their Index Cond (a bitmap scan's is on its Bitmap Index Scan child). */
function indexScansOf(plan: Plan, use: TableUse): { index: string; cond: string }[] {
  const names = new Set(use.table.indexes.map((index) => index.name));
  const out: { index: string; cond: string }[] = [];
  for (const node of plan.nodes) {
    if (!node.index || !node.indexCond || !names.has(node.index)) continue;
    if (node.relation && !sameTable(node, use.table)) continue;
    out.push({ index: node.index, cond: node.indexCond });
  }
  return out;
}

function sameTable(node: PlanNode, table: TableInfo): boolean {
  return node.relation === table.name && (!node.schema || node.schema === table.schema);
}

/** The leading index keys that Index Cond constrains, up to the first one it does not. */
function constrainedPrefix(columns: readonly string[], cond: string): string[] {
  const text = normalize(cond);
  const prefix: string[] = [];
  for (const column of columns) {
    const key = normalize(column);
    // The indexed side of each clause is written bare, or qualified right after the clause's `(`;
    // `c.id` on the other side of `(customer_id = c.id)` must not count as the index's `id`.
    const name = key.replace(/\$/g, '\\$');
    const constrained = /^[a-z_][a-z0-9_$]*$/.test(key)
      ? new RegExp(`(^|[^a-z0-9_$.])${name}([^a-z0-9_$]|$)|\\((?:[a-z_][a-z0-9_$]*\\.)${name}([^a-z0-9_$]|$)`).test(text)
      : text.replace(/[()]/g, '').includes(key.replace(/[()]/g, ''));
    if (!constrained) break;
    prefix.push(column);
  }
  return prefix;
}

function sameKey(indexColumn: string, key: IndexKey): boolean {
  return normalize(indexColumn).replace(/[()]/g, '') === normalize(key.column ?? key.sql).replace(/[()]/g, '');
}

/** Plan and catalog text compared loosely: no casts, quotes or white space. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/::[a-z ]+(\[\])?/g, '')
    .replace(/["\s]/g, '');
}
