import type { PlanNode } from '../model';

/**
 * A node's title exactly as PostgreSQL's text EXPLAIN writes it, split in two for display: the
 * operation (`Parallel Index Scan Backward`, `Partial HashAggregate`, `Hash Left Join`) and its target
 * (`using orders_pkey on orders o`, `on "*VALUES*"`). The model's `label` is close but not identical
 * (it writes `Bitmap Index Scan using idx` and `CTE Scan on CTE r`), and the text tab is compared
 * against PostgreSQL's own output, so the view spells titles itself.
 */
export interface NodeTitle {
  name: string;
  target?: string;
}

const AGGREGATE_NAMES: Record<string, string> = { Hashed: 'HashAggregate', Sorted: 'GroupAggregate', Mixed: 'MixedAggregate' };
const JOINS = new Set(['Hash Join', 'Merge Join', 'Nested Loop']);

export function nodeTitle(node: PlanNode): NodeTitle {
  const extra = node.extra;
  let name = node.nodeType;
  if (node.nodeType === 'Aggregate') {
    name = AGGREGATE_NAMES[node.strategy ?? ''] ?? 'Aggregate';
    const mode = extra['Partial Mode'];
    if (mode === 'Partial' || mode === 'Finalize') name = `${mode} ${name}`;
  } else if (node.nodeType === 'SetOp') {
    name = node.strategy === 'Hashed' ? 'HashSetOp' : 'SetOp';
    if (typeof extra.Command === 'string') name += ` ${extra.Command}`;
  } else if (JOINS.has(node.nodeType) && node.joinType && node.joinType !== 'Inner') {
    name = node.nodeType === 'Nested Loop' ? `Nested Loop ${node.joinType} Join` : node.nodeType.replace(/ Join$/, ` ${node.joinType} Join`);
  } else if (node.nodeType === 'ModifyTable' && node.operation) {
    name = node.operation;
  } else if (node.nodeType === 'Custom Scan' && typeof extra['Custom Plan Provider'] === 'string') {
    name = `Custom Scan (${extra['Custom Plan Provider']})`;
  }
  if (extra['Async Capable'] === true) name = `Async ${name}`;
  if (node.parallelAware) name = `Parallel ${name}`;
  if (extra['Scan Direction'] === 'Backward') name += ' Backward';
  const target = targetOf(node);
  return target ? { name, target } : { name };
}

export function titleText(node: PlanNode): string {
  const { name, target } = nodeTitle(node);
  return target ? `${name} ${target}` : name;
}

function targetOf(node: PlanNode): string | undefined {
  if (node.nodeType === 'Bitmap Index Scan') return node.index ? `on ${quoteIdent(node.index)}` : undefined;
  const parts: string[] = [];
  if (node.index) parts.push(`using ${quoteIdent(node.index)}`);
  const tableFunction = node.extra['Table Function Name'];
  const object = node.relation ?? node.cteName ?? node.functionName ?? (typeof tableFunction === 'string' ? tableFunction : undefined);
  // PostgreSQL names a scan target only where it has an alias (Subquery and Values scans have no object).
  if (object !== undefined || node.alias !== undefined) {
    let on = 'on';
    if (object !== undefined) on += node.schema ? ` ${quoteIdent(node.schema)}.${quoteIdent(object)}` : ` ${quoteIdent(object)}`;
    if (node.alias !== undefined && node.alias !== object) on += ` ${quoteIdent(node.alias)}`;
    parts.push(on);
  }
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * PostgreSQL's quote_identifier: lower-case letters, digits and underscores (not leading digits) stay
 * bare unless the word is a keyword that is not unreserved.
 */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** Reserved, column-name and type/function-name keywords of PostgreSQL 15–18 (all quoted by quote_identifier). */
const KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast
  char character check coalesce collate collation column concurrently constraint create cross current_catalog
  current_date current_role current_schema current_time current_timestamp current_user dec decimal default
  deferrable desc distinct do else end except exists extract false fetch float for foreign freeze from full grant
  greatest group grouping having ilike in initially inner inout int integer intersect interval into is isnull join
  json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar json_serialize
  json_table json_value lateral leading least left like limit localtime localtimestamp merge_action national nchar
  natural none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay placing
  position precision primary real references returning right row select session_user setof similar smallint some
  substring symmetric system_user table tablesample then time timestamp to trailing treat trim true union unique
  user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists
  xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);
