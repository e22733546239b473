import type { CommonTableExpr, Node, RangeVar, ResTarget, WithClause } from 'libpg-query';
import type { Catalog } from '../schema/catalog';
import { columnRefParts, nodeAs, stringOf, stringsOf } from './ast';
import { CteScope, FromScope, sourceLabel, type FromItem, type JoinItem, type Source } from './scope';

/**
 * The columns a query, a FROM item or a star produces, as PostgreSQL would expand them, and which
 * tables reach them whole through a star. `select-star` uses both: whether a star really exposes a
 * table's every column, and the explicit column list that replaces it.
 */
export interface ExpandedColumn {
  name: string;
  /** The name to qualify the column with (an alias or table name); absent for a merged USING column. */
  qualifier?: string;
}

export interface Shape {
  /** The columns in order, or undefined when any of them cannot be known (a table the catalog lacks). */
  columns: ExpandedColumn[] | undefined;
  /** Tables (as shown to users) whose every column flows into these columns through a star. */
  starTables: string[];
}

/** CTEs whose columns are being computed, so a recursive CTE does not recurse forever. */
type Guard = Set<CommonTableExpr>;

/** What `*` (no qualifier) or `q.*` expands to in `scope`; undefined when the qualifier names nothing. */
export function starShape(scope: FromScope, qualifier: readonly string[], guard: Guard = new Set()): Shape | undefined {
  if (qualifier.length === 0) return concat(scope.items.map((item) => itemShape(item, scope.catalog, guard)));
  const named = scope.findQualified(qualifier);
  if (!named) return undefined;
  return named.kind === 'join' ? itemShape(named, scope.catalog, guard) : sourceShape(named, scope.catalog, guard);
}

/** The output columns of a query (SELECT, VALUES, or DML with RETURNING). */
export function queryShape(query: Node, ctes: CteScope, catalog: Catalog, guard: Guard = new Set()): Shape {
  const select = nodeAs(query, 'SelectStmt');
  if (select) {
    const inner = CteScope.enter(select.withClause, ctes);
    if (select.valuesLists?.length) {
      const width = nodeAs(select.valuesLists[0], 'List')?.items?.length ?? 0;
      return { columns: Array.from({ length: width }, (_, i) => ({ name: `column${i + 1}` })), starTables: [] };
    }
    if (select.op && select.op !== 'SETOP_NONE') {
      const left = select.larg ? queryShape({ SelectStmt: select.larg }, inner, catalog, guard) : EMPTY;
      const right = select.rarg ? queryShape({ SelectStmt: select.rarg }, inner, catalog, guard) : EMPTY;
      return { columns: left.columns, starTables: union(left.starTables, right.starTables) };
    }
    return targetsShape(select.targetList, new FromScope(select.fromClause, inner, catalog), guard);
  }
  const dml = dmlParts(query);
  if (dml) {
    const scope = new FromScope(dml.from, CteScope.enter(dml.withClause, ctes), catalog);
    return targetsShape(dml.returning, scope, guard);
  }
  return { columns: undefined, starTables: [] };
}

/** The FROM items a DML statement's RETURNING sees, its WITH clause and its RETURNING list. */
export function dmlParts(
  statement: Node,
): { from: Node[]; returning: Node[] | undefined; withClause: WithClause | undefined } | undefined {
  const target = (relation: RangeVar | undefined): Node[] => (relation ? [{ RangeVar: relation }] : []);
  const insert = nodeAs(statement, 'InsertStmt');
  if (insert) return { from: target(insert.relation), returning: insert.returningClause?.exprs, withClause: insert.withClause };
  const update = nodeAs(statement, 'UpdateStmt');
  if (update) {
    return { from: [...target(update.relation), ...(update.fromClause ?? [])], returning: update.returningClause?.exprs, withClause: update.withClause };
  }
  const del = nodeAs(statement, 'DeleteStmt');
  if (del) return { from: [...target(del.relation), ...(del.usingClause ?? [])], returning: del.returningClause?.exprs, withClause: del.withClause };
  const merge = nodeAs(statement, 'MergeStmt');
  if (merge) {
    const source = merge.sourceRelation ? [merge.sourceRelation] : [];
    return { from: [...target(merge.relation), ...source], returning: merge.returningClause?.exprs, withClause: merge.withClause };
  }
  return undefined;
}

/** The columns of one FROM source, qualified by its name. */
export function sourceShape(source: Source, catalog: Catalog, guard: Guard = new Set()): Shape {
  let shape: Shape;
  switch (source.kind) {
    case 'table':
      shape = {
        columns: source.table?.columns.map((column) => ({ name: column.name })),
        starTables: [sourceLabel(source)],
      };
      break;
    case 'cte': {
      const { cte } = source;
      if (guard.has(cte) || !cte.ctequery) {
        shape = { columns: undefined, starTables: [] };
        break;
      }
      guard.add(cte);
      shape = queryShape(cte.ctequery, source.scope, catalog, guard);
      guard.delete(cte);
      shape = renamed(shape, stringsOf(cte.aliascolnames));
      break;
    }
    case 'subquery':
      shape = queryShape(source.query, source.scope, catalog, guard);
      break;
    case 'function': {
      const names = source.definedColumns ?? (source.aliasColumns.length > 0 ? source.aliasColumns : undefined);
      shape = { columns: names?.map((name) => ({ name })), starTables: [] };
      break;
    }
    default:
      shape = { columns: undefined, starTables: [] };
  }
  shape = renamed(shape, source.aliasColumns);
  return { columns: shape.columns?.map(({ name }) => ({ name, qualifier: source.refName })), starTables: shape.starTables };
}

/** The columns of a FROM item; a join merges its USING / NATURAL columns as PostgreSQL does. */
export function itemShape(item: FromItem, catalog: Catalog, guard: Guard = new Set()): Shape {
  if (item.kind === 'source') return sourceShape(item.source, catalog, guard);
  const merged = joinShape(item, catalog, guard);
  if (item.alias === undefined) return merged;
  const aliased = renamed(merged, item.aliasColumns);
  return { columns: aliased.columns?.map(({ name }) => ({ name, qualifier: item.alias })), starTables: merged.starTables };
}

function joinShape(item: JoinItem, catalog: Catalog, guard: Guard): Shape {
  const left = itemShape(item.left, catalog, guard);
  const right = itemShape(item.right, catalog, guard);
  const starTables = union(left.starTables, right.starTables);
  if (!left.columns || !right.columns) return { columns: undefined, starTables };
  const leftColumns = left.columns;
  const rightColumns = right.columns;
  const using = item.natural
    ? leftColumns.map((c) => c.name).filter((name) => rightColumns.some((r) => r.name === name))
    : item.using;
  if (using.length === 0) return { columns: [...leftColumns, ...rightColumns], starTables };
  const joinType = item.join.jointype;
  const mergedColumns: ExpandedColumn[] = [];
  for (const name of using) {
    // The merged column equals the left one in inner and left joins, the right one in right joins;
    // a full join's merged column is only reachable unqualified.
    const side = joinType === 'JOIN_RIGHT' ? rightColumns : leftColumns;
    const found = joinType === 'JOIN_FULL' ? { name } : side.find((c) => c.name === name);
    if (!found) return { columns: undefined, starTables };
    mergedColumns.push(found);
  }
  const isUsing = (column: ExpandedColumn) => using.includes(column.name);
  return {
    columns: [...mergedColumns, ...leftColumns.filter((c) => !isUsing(c)), ...rightColumns.filter((c) => !isUsing(c))],
    starTables,
  };
}

function targetsShape(targets: readonly Node[] | undefined, scope: FromScope, guard: Guard): Shape {
  let columns: ExpandedColumn[] | undefined = [];
  let starTables: string[] = [];
  for (const node of targets ?? []) {
    const target = nodeAs(node, 'ResTarget');
    if (!target) continue;
    const ref = columnRefParts(target.val);
    if (ref?.star) {
      const shape = starShape(scope, ref.qualifier, guard);
      starTables = union(starTables, shape?.starTables ?? []);
      columns = columns && shape?.columns ? [...columns, ...shape.columns.map(({ name }) => ({ name }))] : undefined;
      continue;
    }
    const name = outputName(target);
    columns = columns && name !== undefined ? [...columns, { name }] : undefined;
  }
  return { columns, starTables };
}

/**
 * The name PostgreSQL gives an output column (its `FigureColname`): the alias, else the column or
 * function name; undefined where PostgreSQL would say `?column?`.
 */
export function outputName(target: ResTarget): string | undefined {
  return target.name ?? figureName(target.val);
}

function figureName(expr: Node | undefined): string | undefined {
  if (!expr) return undefined;
  const ref = columnRefParts(expr);
  if (ref) return ref.star ? undefined : ref.column;
  const call = nodeAs(expr, 'FuncCall');
  if (call) return stringsOf(call.funcname).pop();
  const cast = nodeAs(expr, 'TypeCast');
  if (cast) return figureName(cast.arg) ?? stringsOf(cast.typeName?.names).pop();
  const indirection = nodeAs(expr, 'A_Indirection');
  if (indirection) {
    const field = [...(indirection.indirection ?? [])].reverse().map(stringOf).find((name) => name !== undefined);
    return field ?? figureName(indirection.arg);
  }
  if (nodeAs(expr, 'CaseExpr')) return 'case';
  if (nodeAs(expr, 'CoalesceExpr')) return 'coalesce';
  if (nodeAs(expr, 'A_ArrayExpr')) return 'array';
  if (nodeAs(expr, 'RowExpr')) return 'row';
  const sublink = nodeAs(expr, 'SubLink');
  if (sublink?.subLinkType === 'EXISTS_SUBLINK') return 'exists';
  if (sublink?.subLinkType === 'ARRAY_SUBLINK') return 'array';
  if (sublink?.subLinkType === 'EXPR_SUBLINK') {
    const first = nodeAs(nodeAs(sublink.subselect, 'SelectStmt')?.targetList?.[0], 'ResTarget');
    return first ? outputName(first) : undefined;
  }
  return undefined;
}

const EMPTY: Shape = { columns: [], starTables: [] };

function concat(shapes: Shape[]): Shape {
  let columns: ExpandedColumn[] | undefined = [];
  let starTables: string[] = [];
  for (const shape of shapes) {
    columns = columns && shape.columns ? [...columns, ...shape.columns] : undefined;
    starTables = union(starTables, shape.starTables);
  }
  return { columns, starTables };
}

/** Alias column names rename the first columns: `AS u(a, b)`. */
function renamed(shape: Shape, names: readonly string[]): Shape {
  if (names.length === 0 || !shape.columns) return shape;
  return { ...shape, columns: shape.columns.map((column, i) => (i < names.length ? { ...column, name: names[i] } : column)) };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
