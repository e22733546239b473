import type { CommonTableExpr, Node, SelectStmt } from 'libpg-query';
import type { Catalog } from '../schema/catalog';
import { columnRefParts, conjuncts, contains, listItems, nodeAs, stringsOf, walk, type ColumnRefParts } from './ast';
import { sourceShape } from './columns';
import { parseSql } from './parse';
import { CteScope, FromScope, leafSources, type FromItem, type Source, type TableSource } from './scope';

/**
 * Whether a query returns a bounded number of rows however large its tables grow: it has a LIMIT, is
 * an aggregate without GROUP BY, has no FROM, is VALUES, or pins every table it reads to one row by
 * an equality on all columns of a primary key or unique constraint (`id = $1`, through aliases and
 * joins on keys). For a table the catalog does not know, a column named `id` is taken as its key.
 */
export interface Bound {
  bounded: boolean;
  /** The sources whose rows are not pinned to a bounded set (for messages). */
  unpinned: Source[];
}

type Guard = Set<CommonTableExpr>;

export function selectBound(select: SelectStmt, ctes: CteScope, catalog: Catalog, guard: Guard = new Set()): Bound {
  const inner = CteScope.enter(select.withClause, ctes);
  if (select.valuesLists?.length || hasRowLimit(select)) return BOUNDED;
  if (select.op && select.op !== 'SETOP_NONE') {
    const left = select.larg ? selectBound(select.larg, inner, catalog, guard) : BOUNDED;
    const right = select.rarg ? selectBound(select.rarg, inner, catalog, guard) : BOUNDED;
    const bounded =
      select.op === 'SETOP_INTERSECT' ? left.bounded || right.bounded
      : select.op === 'SETOP_EXCEPT' ? left.bounded
      : left.bounded && right.bounded;
    return { bounded, unpinned: bounded ? [] : [...left.unpinned, ...right.unpinned] };
  }
  if (!select.fromClause?.length) return BOUNDED;
  const grouped = (select.groupClause ?? []).some((node) => !isEmptyGroupingSet(node));
  if (!grouped && (select.havingClause || hasAggregate(select.targetList))) return BOUNDED;

  const scope = new FromScope(select.fromClause, inner, catalog);
  const equalities = collectEqualities(scope, select.whereClause);
  const unpinned = unpinnedSources(scope, equalities, guard);
  if (unpinned.length === 0) return BOUNDED;
  if (grouped && groupKeysPinned(scope, select.groupClause ?? [], equalities)) return BOUNDED;
  return { bounded: false, unpinned };
}

/** A LIMIT / FETCH FIRST with a row count (`LIMIT ALL` is no limit). */
export function hasRowLimit(select: SelectStmt): boolean {
  const count = select.limitCount;
  return count !== undefined && nodeAs(count, 'A_Const')?.isnull !== true;
}

const BOUNDED: Bound = { bounded: true, unpinned: [] };

// ---------------------------------------------------------------------------------------------------
// Aggregates

/** Aggregates PostgreSQL ships that are written as plain calls (no `*`, DISTINCT, ORDER BY, FILTER). */
const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'array_agg', 'string_agg',
  'json_agg', 'jsonb_agg', 'json_agg_strict', 'jsonb_agg_strict', 'json_object_agg', 'jsonb_object_agg',
  'json_object_agg_strict', 'jsonb_object_agg_strict', 'json_object_agg_unique', 'jsonb_object_agg_unique',
  'xmlagg', 'bit_and', 'bit_or', 'bit_xor', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop',
  'var_samp', 'corr', 'covar_pop', 'covar_samp', 'regr_avgx', 'regr_avgy', 'regr_count', 'regr_intercept',
  'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy', 'percentile_cont', 'percentile_disc', 'mode',
  'any_value', 'range_agg', 'range_intersect_agg',
]);

/** True when the expressions call an aggregate at this query level (not in a subquery or a window). */
export function hasAggregate(nodes: readonly Node[] | undefined): boolean {
  let found = false;
  walk(nodes, (node) => {
    if (found || 'SubLink' in node) return false;
    if ('JsonArrayAgg' in node || 'JsonObjectAgg' in node) found = true;
    const call = nodeAs(node, 'FuncCall');
    if (call && !call.over) {
      const name = stringsOf(call.funcname).pop() ?? '';
      const schema = stringsOf(call.funcname).slice(-2, -1)[0];
      const flagged = call.agg_star || call.agg_distinct || call.agg_order?.length || call.agg_filter || call.agg_within_group;
      if (flagged || ((schema === undefined || schema === 'pg_catalog') && AGGREGATES.has(name))) found = true;
    }
    return !found;
  });
  return found;
}

function isEmptyGroupingSet(node: Node): boolean {
  const set = nodeAs(node, 'GroupingSet');
  return set?.kind === 'GROUPING_SET_EMPTY';
}

// ---------------------------------------------------------------------------------------------------
// Equalities and pinning

interface ResolvedColumn {
  source: Source;
  column: string;
}

/** `a = b` where each side is a resolved column or a value (a constant, a parameter). */
interface Equality {
  left: ResolvedColumn | 'value' | undefined;
  right: ResolvedColumn | 'value' | undefined;
  /** Sources this equality may pin: an outer join's ON clause filters only its nullable side. */
  pins?: ReadonlySet<Source>;
}

function collectEqualities(scope: FromScope, where: Node | undefined): Equality[] {
  const equalities: Equality[] = [];
  const add = (expr: Node | undefined, pins?: ReadonlySet<Source>) => {
    for (const term of conjuncts(expr)) {
      for (const [left, right] of equalityPairs(term)) {
        equalities.push({ left: operand(scope, left), right: operand(scope, right), pins });
      }
    }
  };
  add(where);
  const visitItem = (item: FromItem) => {
    if (item.kind === 'source') return;
    visitItem(item.left);
    visitItem(item.right);
    const type = item.join.jointype;
    if (type === 'JOIN_FULL') return;
    const pins =
      type === 'JOIN_LEFT' ? new Set(leafSources(item.right))
      : type === 'JOIN_RIGHT' ? new Set(leafSources(item.left))
      : undefined;
    add(item.join.quals, pins);
    for (const name of usingColumns(item, scope)) {
      const left = sideColumn(item.left, name, scope);
      const right = sideColumn(item.right, name, scope);
      if (left && right) equalities.push({ left, right, pins });
    }
  };
  scope.items.forEach(visitItem);
  return equalities;
}

/**
 * The operand pairs an equality term compares: `x = y`, a one-item `x IN (y)`, and each position of
 * a row comparison `(a, b) = ($1, $2)`; none for anything else.
 */
function equalityPairs(term: Node): [Node, Node][] {
  const expr = nodeAs(term, 'A_Expr');
  if (!expr?.lexpr || !expr.rexpr || stringsOf(expr.name).join('.') !== '=') return [];
  if (expr.kind === 'AEXPR_IN') {
    const items = listItems(expr.rexpr);
    return items.length === 1 ? [[expr.lexpr, items[0]]] : [];
  }
  if (expr.kind !== 'AEXPR_OP') return [];
  const leftRow = nodeAs(expr.lexpr, 'RowExpr')?.args;
  const rightRow = nodeAs(expr.rexpr, 'RowExpr')?.args;
  if (leftRow && rightRow) {
    return leftRow.length === rightRow.length ? leftRow.map((left, i): [Node, Node] => [left, rightRow[i]]) : [];
  }
  return [[expr.lexpr, expr.rexpr]];
}

/**
 * A column, a value, or an expression over one source's columns (`lower(u.email)`), which an
 * expression index can make a key; expressions are keyed by `expressionKey`.
 */
function operand(scope: FromScope, node: Node): ResolvedColumn | 'value' | undefined {
  const ref = columnRefParts(node);
  if (ref) return ref.star ? undefined : resolveColumn(scope, ref);
  if (isValue(node)) return 'value';
  if (contains(node, ['SubLink'])) return undefined;
  const refs: ResolvedColumn[] = [];
  walk(node, (child) => {
    const parts = columnRefParts(child);
    const resolved = parts && !parts.star ? resolveColumn(scope, parts) : undefined;
    if (nodeAs(child, 'ColumnRef')) refs.push(resolved ?? { source: UNRESOLVED, column: '' });
  });
  const source = refs[0]?.source;
  if (!source || source === UNRESOLVED || refs.some((r) => r.source !== source)) return undefined;
  return { source, column: expressionKey(node) };
}

const UNRESOLVED = { kind: 'other', aliasColumns: [] } as Source;

/**
 * A comparable form of an expression: its AST without locations, column qualifiers or casts, so
 * `lower(u.email)` in a query matches `lower(email)` or `lower((email)::text)` in an index.
 */
export function expressionKey(node: Node): string {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    const cast = nodeAs(value as Node, 'TypeCast');
    if (cast?.arg) return strip(cast.arg);
    const ref = columnRefParts(value as Node);
    if (ref && !ref.star && 'ColumnRef' in value) return { column: ref.column };
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) if (key !== 'location') out[key] = strip(child);
    return out;
  };
  return `expr:${JSON.stringify(strip(node))}`;
}

/** An expression whose value is the same for every row: parameters, constants, casts and calls of them. */
function isValue(node: Node): boolean {
  return !contains(node, ['ColumnRef', 'SubLink']);
}

/** The source a column reference reads, when it can be told. */
export function resolveColumn(scope: FromScope, ref: ColumnRefParts): ResolvedColumn | undefined {
  if (ref.qualifier.length > 0) {
    const named = scope.findQualified(ref.qualifier);
    return named && named.kind !== 'join' ? { source: named, column: ref.column } : undefined;
  }
  const sources = scope.sources;
  if (sources.length === 1) return { source: sources[0], column: ref.column };
  const known = sources.map((source) => ({ source, names: sourceShape(source, scope.catalog).columns?.map((c) => c.name) }));
  const having = known.filter(({ names }) => names?.includes(ref.column));
  if (having.length === 1) return { source: having[0].source, column: ref.column };
  // A `JOIN … USING (id)` column: unqualified `id` is the merged column, equal to the left side's.
  if (having.length > 1 && mergedByUsing(scope, ref.column)) return { source: having[0].source, column: ref.column };
  const unknown = known.filter(({ names }) => names === undefined);
  if (having.length === 0 && unknown.length === 1) return { source: unknown[0].source, column: ref.column };
  return undefined;
}

/** True when an inner or left join of the scope merges `column` with USING or NATURAL. */
function mergedByUsing(scope: FromScope, column: string): boolean {
  const visit = (item: FromItem): boolean => {
    if (item.kind === 'source') return false;
    const type = item.join.jointype;
    if ((type === 'JOIN_INNER' || type === 'JOIN_LEFT') && usingColumns(item, scope).includes(column)) return true;
    return visit(item.left) || visit(item.right);
  };
  return scope.items.some(visit);
}

function usingColumns(item: FromItem & { kind: 'join' }, scope: FromScope): string[] {
  if (!item.natural) return item.using;
  const names = (side: FromItem) =>
    leafSources(side).flatMap((source) => sourceShape(source, scope.catalog).columns?.map((c) => c.name) ?? []);
  const right = new Set(names(item.right));
  return names(item.left).filter((name) => right.has(name));
}

/** The column `name` on one side of a USING join: the side's only source, or the one that has it. */
function sideColumn(side: FromItem, name: string, scope: FromScope): ResolvedColumn | undefined {
  const sources = leafSources(side);
  if (sources.length === 1) return { source: sources[0], column: name };
  const having = sources.filter((source) => sourceShape(source, scope.catalog).columns?.some((c) => c.name === name));
  return having.length === 1 ? { source: having[0], column: name } : undefined;
}

/** Sources not pinned to a bounded set of rows, after pinning what the equalities allow. */
function unpinnedSources(scope: FromScope, equalities: Equality[], guard: Guard): Source[] {
  const sources = scope.sources;
  const pinned = new Set(sources.filter((source) => boundedOnItsOwn(source, scope.catalog, guard)));
  let changed = true;
  while (changed) {
    changed = false;
    for (const source of sources) {
      if (pinned.has(source)) continue;
      const keys = source.kind === 'table' ? tableKeys(source) : derivedKeys(source, scope.catalog);
      const isFixed = (column: string) => equalities.some((equality) => fixes(equality, source, column, pinned));
      if (keys.some((key) => key.every(isFixed))) {
        pinned.add(source);
        changed = true;
      }
    }
  }
  return sources.filter((source) => !pinned.has(source));
}

/** True when the equality fixes `source.column` to one value: a constant, or a pinned source's column. */
function fixes(equality: Equality, source: Source, column: string, pinned: ReadonlySet<Source>): boolean {
  if (equality.pins && !equality.pins.has(source)) return false;
  const matches = (side: Equality['left']) => typeof side === 'object' && side.source === source && side.column === column;
  const fixed = (side: Equality['left']) =>
    side === 'value' || (typeof side === 'object' && side.source !== source && pinned.has(side.source));
  return (matches(equality.left) && fixed(equality.right)) || (matches(equality.right) && fixed(equality.left));
}

/**
 * The column sets that identify one row: the primary key, unique keys, and non-partial unique indexes
 * (expression keys as `expressionKey`s); `id` for a table the catalog does not know.
 */
export function tableKeys(source: TableSource): string[][] {
  const table = source.table;
  if (!table) return [['id']];
  const columns = new Set(table.columns.map((column) => column.name));
  const indexKeys = table.indexes
    .filter((index) => index.unique && !index.predicate)
    .map((index) => index.columns.map((key) => (columns.has(key) ? key : indexExpressionKey(key))));
  return [...(table.primaryKey ? [table.primaryKey] : []), ...table.uniqueKeys, ...indexKeys].filter(
    (key) => key.length > 0 && key.every((part) => part !== ''),
  );
}

const indexExpressionCache = new Map<string, string>();

/** The `expressionKey` of an index expression kept as SQL text; '' when the text does not parse. */
function indexExpressionKey(text: string): string {
  let cached = indexExpressionCache.get(text);
  if (cached === undefined) {
    const parsed = parseSql(`SELECT ${text}`);
    const select = parsed.ok ? nodeAs(parsed.statements[0]?.stmt, 'SelectStmt') : undefined;
    const expr = nodeAs(select?.targetList?.[0], 'ResTarget')?.val;
    cached = expr && parsed.ok && parsed.statements.length === 1 ? expressionKey(expr) : '';
    indexExpressionCache.set(text, cached);
  }
  return cached;
}

/**
 * The keys of a subquery or CTE that passes one table's rows through unchanged (no joins, grouping,
 * DISTINCT or set operation), under its output names: `(SELECT * FROM users) u` is keyed by `u.id`.
 */
function derivedKeys(source: Source, catalog: Catalog): string[][] {
  if (source.kind !== 'subquery' && source.kind !== 'cte') return [];
  const query = source.kind === 'cte' ? source.cte.ctequery : source.query;
  const select = nodeAs(query, 'SelectStmt');
  const renamed = source.aliasColumns.length > 0 || (source.kind === 'cte' && (source.cte.aliascolnames?.length ?? 0) > 0);
  if (!select || renamed || (select.op && select.op !== 'SETOP_NONE') || select.groupClause?.length || select.distinctClause) return [];
  if (select.fromClause?.length !== 1 || hasAggregate(select.targetList)) return [];
  const inner = new FromScope(select.fromClause, CteScope.enter(select.withClause, source.scope), catalog);
  const [table] = inner.sources;
  if (inner.sources.length !== 1 || table.kind !== 'table') return [];

  // Output name of each table column that the select list passes through.
  const outputOf = new Map<string, string>();
  for (const node of select.targetList ?? []) {
    const target = nodeAs(node, 'ResTarget');
    const ref = columnRefParts(target?.val);
    if (!target || !ref) continue;
    if (ref.qualifier.length > 0 && inner.findQualified(ref.qualifier) !== table) continue;
    if (ref.star) {
      const names = table.table ? table.table.columns.map((column) => column.name) : ['id'];
      for (const name of names) if (!outputOf.has(name)) outputOf.set(name, name);
    } else if (!outputOf.has(ref.column)) outputOf.set(ref.column, target.name ?? ref.column);
  }
  return tableKeys(table)
    .filter((key) => key.every((column) => outputOf.has(column)))
    .map((key) => key.map((column) => outputOf.get(column) as string));
}

/** Sources whose row count does not grow with a table: bounded subqueries and CTEs, functions. */
function boundedOnItsOwn(source: Source, catalog: Catalog, guard: Guard): boolean {
  switch (source.kind) {
    case 'table':
      return false;
    case 'subquery': {
      const select = nodeAs(source.query, 'SelectStmt');
      return select ? selectBound(select, source.scope, catalog, guard).bounded : false;
    }
    case 'cte': {
      const { cte } = source;
      const select = nodeAs(cte.ctequery, 'SelectStmt');
      // A data-modifying CTE returns the rows it changed; a LIMIT on the outer query would not bound them.
      if (!select) return true;
      if (guard.has(cte)) return false;
      guard.add(cte);
      const bounded = selectBound(select, source.scope, catalog, guard).bounded;
      guard.delete(cte);
      return bounded;
    }
    default:
      // Set-returning functions, XMLTABLE, JSON_TABLE: rows follow from their arguments, not a table.
      return true;
  }
}

/** GROUP BY keys that are all fixed to constants give one group. */
function groupKeysPinned(scope: FromScope, groupClause: readonly Node[], equalities: Equality[]): boolean {
  return groupClause.every((node) => {
    const ref = columnRefParts(node);
    const column = ref && !ref.star ? resolveColumn(scope, ref) : undefined;
    return column !== undefined && equalities.some((equality) => fixes(equality, column.source, column.column, new Set()));
  });
}
