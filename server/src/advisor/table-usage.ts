import type { Node, SelectStmt } from 'libpg-query';
import type { Catalog, TableInfo } from '../schema/catalog';
import { columnRefParts, conjuncts, contains, listItems, nodeAs, stringsOf, walk, type ColumnRefParts } from '../sql/ast';
import { hasRowLimit } from '../sql/cardinality';
import { dmlParts } from '../sql/columns';
import { quoteIdent } from '../sql/identifiers';
import { CteScope, FromScope, leafSources, type FromItem, type Source, type TableSource } from '../sql/scope';
import { constantText, expressionSql, isConstant, isFunctionCall } from './expression-text';
import type { IndexKey } from './index-definition';

/**
 * How a query uses each table it reads, in the terms an index is built from: the columns (or
 * expressions) it compares with values, the columns it joins on, the order it wants rows in, and every
 * column it reads. Read from the AST at every query level — subqueries, CTEs, EXISTS — with a
 * correlated reference to an outer query counting as a value, as it is when the inner query runs.
 */
export type ValueKind = 'literal' | 'parameter' | 'outer' | 'computed';

export interface TablePredicate {
  key: IndexKey;
  op: 'eq' | 'in' | 'range' | 'null' | 'not-null';
  value: ValueKind;
  /** The predicate over bare columns, for a partial index; only when every value is a literal constant. */
  partialSql?: string;
  /** The constants compared with, as pg_stats prints values (most_common_vals), for selectivity. */
  literals?: string[];
  /** Words for an index name, e.g. `pending`. */
  label?: string;
}

export interface OrderKey {
  key: IndexKey;
}

export interface TableUse {
  source: TableSource;
  table: TableInfo;
  predicates: TablePredicate[];
  /** Columns equated with another table's column: the keys a nested loop probes this table by. */
  joins: IndexKey[];
  /** ORDER BY keys when every one is this table's and the query level has a LIMIT. */
  order?: OrderKey[];
  /** Every column the query reads from this table; `all` after a star. */
  columns: Set<string> | 'all';
  /** How many times each column is referenced (a column read only by one predicate can leave an index). */
  references: Map<string, number>;
}

interface Level {
  scope: FromScope;
  uses: Map<Source, TableUse>;
}

type Operand =
  | { kind: 'key'; level: Level; source: TableSource; key: IndexKey }
  | { kind: 'value'; value: ValueKind; node: Node }
  | { kind: 'other' };

const RANGE_OPERATORS = new Set(['<', '<=', '>', '>=']);

/** Every table reference of `stmt` the catalog knows, with how the query uses it. */
export function tableUses(stmt: Node, catalog: Catalog): TableUse[] {
  const reader = new UsageReader(catalog);
  reader.statement(stmt, CteScope.EMPTY, []);
  return reader.uses;
}

class UsageReader {
  readonly uses: TableUse[] = [];

  constructor(private readonly catalog: Catalog) {}

  statement(stmt: Node, ctes: CteScope, outer: Level[]): void {
    const select = nodeAs(stmt, 'SelectStmt');
    if (select) return this.select(select, ctes, outer);
    const dml = dmlParts(stmt);
    if (!dml || nodeAs(stmt, 'InsertStmt')) {
      // INSERT … SELECT: only its query reads tables.
      const insert = nodeAs(stmt, 'InsertStmt');
      if (insert?.selectStmt) this.statement(insert.selectStmt, CteScope.enter(insert.withClause, ctes), outer);
      return;
    }
    const inner = CteScope.enter(dml.withClause, ctes);
    this.ctes(dml.withClause?.ctes, inner, outer);
    const body = Object.values(stmt)[0] as { whereClause?: Node; targetList?: Node[]; returningClause?: { exprs?: Node[] } };
    this.level(dml.from, inner, outer, { where: body.whereClause, reads: [...(body.targetList ?? []), ...(dml.returning ?? [])] });
  }

  private select(select: SelectStmt, ctes: CteScope, outer: Level[]): void {
    const inner = CteScope.enter(select.withClause, ctes);
    this.ctes(select.withClause?.ctes, inner, outer);
    if (select.op && select.op !== 'SETOP_NONE') {
      if (select.larg) this.select(select.larg, inner, outer);
      if (select.rarg) this.select(select.rarg, inner, outer);
      return;
    }
    for (const row of select.valuesLists ?? []) this.sublinks(row, inner, outer);
    if (!select.fromClause?.length) return this.sublinks(select.targetList, inner, outer);
    this.level(select.fromClause, inner, outer, {
      where: select.whereClause,
      reads: [...(select.targetList ?? []), ...(select.groupClause ?? []), ...(select.havingClause ? [select.havingClause] : [])],
      sort: select.sortClause,
      limited: hasRowLimit(select),
    });
  }

  private ctes(ctes: Node[] | undefined, scope: CteScope, outer: Level[]): void {
    for (const node of ctes ?? []) {
      const query = nodeAs(node, 'CommonTableExpr')?.ctequery;
      if (query) this.statement(query, scope, outer);
    }
  }

  private level(
    from: Node[],
    ctes: CteScope,
    outer: Level[],
    parts: { where?: Node; reads: Node[]; sort?: Node[]; limited?: boolean },
  ): void {
    const scope = new FromScope(from, ctes, this.catalog);
    const level: Level = { scope, uses: new Map() };
    for (const source of scope.sources) {
      if (source.kind === 'table' && source.table) {
        const use: TableUse = { source, table: source.table, predicates: [], joins: [], columns: new Set(), references: new Map() };
        level.uses.set(source, use);
        this.uses.push(use);
      } else if (source.kind === 'subquery') {
        this.statement(source.query, ctes, source.lateral ? [level, ...outer] : outer);
      }
    }
    const chain = [level, ...outer];

    for (const term of conjuncts(parts.where)) this.term(term, chain, undefined);
    const visitJoin = (item: FromItem): void => {
      if (item.kind === 'source') return;
      visitJoin(item.left);
      visitJoin(item.right);
      // An outer join's ON clause filters only its nullable side.
      const type = item.join.jointype;
      const filtered =
        type === 'JOIN_LEFT' ? new Set(leafSources(item.right))
        : type === 'JOIN_RIGHT' ? new Set(leafSources(item.left))
        : type === 'JOIN_FULL' ? new Set<Source>()
        : undefined;
      for (const term of conjuncts(item.join.quals)) this.term(term, chain, filtered);
      for (const name of item.using) this.usingJoin(item, name, level);
      this.reads(item.join.quals, chain);
      this.sublinks(item.join.quals, ctes, chain);
    };
    scope.items.forEach(visitJoin);

    this.reads(parts.where, chain);
    this.reads(parts.reads, chain);
    this.sublinks(parts.where, ctes, chain);
    this.sublinks(parts.reads, ctes, chain);
    if (parts.sort?.length) {
      const sortExprs = parts.sort.map((node) => nodeAs(node, 'SortBy')?.node).filter((node): node is Node => node !== undefined);
      this.reads(sortExprs, chain);
      if (parts.limited) this.order(parts.sort, level);
    }
  }

  /** One AND-ed condition: a predicate on a table, a join key, or neither. */
  private term(term: Node, chain: Level[], filtered: ReadonlySet<Source> | undefined): void {
    const applies = (operand: Operand) => operand.kind === 'key' && operand.level === chain[0] && (!filtered || filtered.has(operand.source));
    const add = (operand: Operand, predicate: Omit<TablePredicate, 'key'>) => {
      if (operand.kind !== 'key' || !applies(operand)) return;
      chain[0].uses.get(operand.source)?.predicates.push({ key: operand.key, ...predicate });
    };
    const test = nodeAs(term, 'NullTest');
    if (test) {
      const operand = this.operand(test.arg, chain);
      if (operand.kind !== 'key') return;
      const negated = test.nulltesttype === 'IS_NOT_NULL';
      add(operand, {
        op: negated ? 'not-null' : 'null',
        value: 'literal',
        partialSql: `${operand.key.sql} IS ${negated ? 'NOT ' : ''}NULL`,
        label: `${negated ? 'not_' : ''}null`,
      });
      return;
    }
    const expr = nodeAs(term, 'A_Expr');
    if (!expr?.lexpr || !expr.rexpr) return;
    const op = stringsOf(expr.name).join('.');
    if (expr.kind === 'AEXPR_OP' && (op === '=' || RANGE_OPERATORS.has(op))) {
      const left = this.operand(expr.lexpr, chain);
      const right = this.operand(expr.rexpr, chain);
      if (left.kind === 'key' && right.kind === 'key') {
        if (op !== '=' || left.source === right.source) return;
        for (const side of [left, right]) {
          if (side.key.column !== undefined && applies(side)) chain[0].uses.get(side.source)?.joins.push(side.key);
        }
        return;
      }
      const [key, value] = left.kind === 'key' ? [left, right] : [right, left];
      if (key.kind !== 'key' || value.kind !== 'value') return;
      if (op !== '=') return add(key, { op: 'range', value: value.value });
      const literal = value.value === 'literal' ? constantText(value.node) : undefined;
      const valueSql = value.value === 'literal' ? expressionSql(value.node) : undefined;
      add(key, {
        op: 'eq',
        value: value.value,
        ...(literal !== undefined && valueSql !== undefined ? { partialSql: `${key.key.sql} = ${valueSql}`, literals: [literal], label: literal } : {}),
      });
      return;
    }
    if ((expr.kind === 'AEXPR_IN' && op === '=') || (expr.kind === 'AEXPR_OP_ANY' && op === '=') || expr.kind === 'AEXPR_BETWEEN') {
      const key = this.operand(expr.lexpr, chain);
      const items = expr.kind === 'AEXPR_OP_ANY' ? [expr.rexpr] : listItems(expr.rexpr);
      const values = items.map((item) => this.operand(item, chain));
      if (key.kind !== 'key' || values.some((value) => value.kind !== 'value')) return;
      const kinds = values.map((value) => (value.kind === 'value' ? value.value : 'computed'));
      const kind: ValueKind = kinds.every((k) => k === 'literal') ? 'literal' : kinds.includes('parameter') ? 'parameter' : kinds.includes('outer') ? 'outer' : 'computed';
      if (expr.kind === 'AEXPR_BETWEEN') return add(key, { op: 'range', value: kind });
      const literals = kind === 'literal' && expr.kind === 'AEXPR_IN' ? items.map(constantText) : undefined;
      const texts = kind === 'literal' && expr.kind === 'AEXPR_IN' ? items.map(expressionSql) : undefined;
      const partial =
        literals && texts && !literals.includes(undefined) && !texts.includes(undefined)
          ? { partialSql: `${key.key.sql} IN (${texts.join(', ')})`, literals: literals as string[], label: (literals as string[]).join('_') }
          : {};
      add(key, { op: 'in', value: kind, ...partial });
    }
  }

  /** `JOIN … USING (col)`: the column on each side is a join key of that side's table. */
  private usingJoin(item: FromItem & { kind: 'join' }, name: string, level: Level): void {
    for (const side of [item.left, item.right]) {
      const sources = leafSources(side).filter((source) => source.kind === 'table' && source.table?.columns.some((c) => c.name === name));
      if (sources.length === 1) level.uses.get(sources[0])?.joins.push(columnKey(name));
    }
  }

  /** What one side of a comparison is: a key of some table, a value, or something else. */
  private operand(node: Node | undefined, chain: Level[]): Operand {
    if (!node || contains(node, ['SubLink'])) return { kind: 'other' };
    const ref = columnRefParts(node);
    if (ref) {
      if (ref.star) return { kind: 'other' };
      const found = this.resolve(ref, chain);
      if (!found) return { kind: 'other' };
      if (found.level !== chain[0]) return { kind: 'value', value: 'outer', node };
      return found.source.kind === 'table' ? { kind: 'key', level: found.level, source: found.source, key: columnKey(ref.column) } : { kind: 'other' };
    }
    if (nodeAs(node, 'ParamRef') || paramCast(node)) return { kind: 'value', value: 'parameter', node };
    if (isConstant(node)) return { kind: 'value', value: 'literal', node };
    // An expression: over one table's columns (an expression key), or over none of this level's (a value).
    const refs: { level: Level; source: Source }[] = [];
    let unresolved = false;
    walk(node, (child) => {
      const parts = columnRefParts(child);
      if (!parts || !('ColumnRef' in child)) return;
      const found = parts.star ? undefined : this.resolve(parts, chain);
      if (found) refs.push(found);
      else unresolved = true;
    });
    if (unresolved) return { kind: 'other' };
    const local = refs.filter((ref) => ref.level === chain[0]);
    if (local.length === 0) return { kind: 'value', value: refs.length ? 'outer' : contains(node, ['ParamRef']) ? 'parameter' : 'computed', node };
    const source = local[0].source;
    if (source.kind !== 'table' || local.length !== refs.length || local.some((ref) => ref.source !== source)) return { kind: 'other' };
    if (contains(node, ['ParamRef'])) return { kind: 'other' };
    const sql = expressionSql(node);
    if (sql === undefined) return { kind: 'other' };
    const columns: string[] = [];
    walk(node, (child) => {
      const parts = columnRefParts(child);
      if (parts && !parts.star && !columns.includes(parts.column)) columns.push(parts.column);
    });
    return { kind: 'key', level: chain[0], source, key: { sql: isFunctionCall(node) ? sql : `(${sql})`, columns } };
  }

  /** The level and source a column reference reads, searching outward; undefined when unknown. */
  private resolve(ref: ColumnRefParts, chain: Level[]): { level: Level; source: Source } | undefined {
    for (const level of chain) {
      if (ref.qualifier.length > 0) {
        const named = level.scope.findQualified(ref.qualifier);
        if (named && named.kind !== 'join') return { level, source: named };
        continue;
      }
      const having = level.scope.sources.filter((source) => hasColumn(source, ref.column, this.catalog));
      if (having.length >= 1) return { level, source: having[0] };
    }
    return undefined;
  }

  /** Records every column each table is read by (for INCLUDE and index-only scans). */
  private reads(nodes: Node | Node[] | undefined, chain: Level[]): void {
    walk(nodes as Node | readonly Node[] | undefined, (node) => {
      if ('SubLink' in node) return false;
      const ref = columnRefParts(node);
      if (!ref || !('ColumnRef' in node)) return;
      if (ref.star) {
        const targets = ref.qualifier.length ? [chain[0].scope.findQualified(ref.qualifier)] : chain[0].scope.sources;
        for (const target of targets) {
          const use = target && target.kind !== 'join' ? chain[0].uses.get(target) : undefined;
          if (use) use.columns = 'all';
        }
        return;
      }
      const found = this.resolve(ref, chain);
      const use = found ? found.level.uses.get(found.source) : undefined;
      if (!use) return;
      use.references.set(ref.column, (use.references.get(ref.column) ?? 0) + 1);
      if (use.columns !== 'all') use.columns.add(ref.column);
    });
  }

  /** Subqueries (EXISTS, IN, scalar) are levels of their own that see this one as outer. */
  private sublinks(nodes: Node | Node[] | undefined, ctes: CteScope, chain: Level[]): void {
    walk(nodes as Node | readonly Node[] | undefined, (node) => {
      const sublink = nodeAs(node, 'SubLink');
      if (!sublink) return;
      if (sublink.testexpr) this.sublinks(sublink.testexpr, ctes, chain);
      if (sublink.subselect) this.statement(sublink.subselect, ctes, chain);
      return false;
    });
  }

  /** ORDER BY … LIMIT on one table's columns: an index in that order lets the scan stop early. */
  private order(sort: Node[], level: Level): void {
    const keys: { source: Source; key: IndexKey }[] = [];
    for (const node of sort) {
      const sortBy = nodeAs(node, 'SortBy');
      if (!sortBy?.node || sortBy.useOp) return;
      const operand = this.operand(sortBy.node, [level]);
      if (operand.kind !== 'key') return;
      const descending = sortBy.sortby_dir === 'SORTBY_DESC';
      const nulls = sortBy.sortby_nulls === 'SORTBY_NULLS_FIRST' ? 'first' : sortBy.sortby_nulls === 'SORTBY_NULLS_LAST' ? 'last' : undefined;
      // Only a NULLS order that differs from the direction's default is worth writing down.
      const unusual = nulls !== undefined && (descending ? nulls === 'last' : nulls === 'first');
      keys.push({ source: operand.source, key: { ...operand.key, ...(descending ? { descending } : {}), ...(unusual ? { nulls } : {}) } });
    }
    const source = keys[0]?.source;
    if (!source || keys.some((key) => key.source !== source)) return;
    const use = level.uses.get(source);
    if (use) use.order = keys.map(({ key }) => ({ key }));
  }
}

function columnKey(column: string): IndexKey {
  return { sql: quoteIdent(column), column, columns: [column] };
}

function paramCast(node: Node): boolean {
  const cast = nodeAs(node, 'TypeCast');
  return cast !== undefined && (nodeAs(cast.arg, 'ParamRef') !== undefined || paramCast(cast.arg as Node));
}

/** True when a source has the column; a source whose columns are unknown is assumed to have it. */
function hasColumn(source: Source, column: string, catalog: Catalog): boolean {
  if (source.kind === 'table') return source.table ? source.table.columns.some((c) => c.name === column) : true;
  if (source.kind === 'cte' || source.kind === 'subquery') {
    return source.aliasColumns.includes(column) || subqueryColumns(source, catalog).includes(column);
  }
  return source.aliasColumns.includes(column) || (source.kind === 'function' && (source.definedColumns?.includes(column) ?? false));
}

/** Output names of a derived table's select list (column names and aliases), enough to resolve refs. */
function subqueryColumns(source: Source, catalog: Catalog): string[] {
  const query = source.kind === 'cte' ? source.cte.ctequery : source.kind === 'subquery' ? source.query : undefined;
  const select = nodeAs(query, 'SelectStmt');
  const names: string[] = [];
  for (const node of select?.targetList ?? []) {
    const target = nodeAs(node, 'ResTarget');
    const ref = columnRefParts(target?.val);
    if (target?.name) names.push(target.name);
    else if (ref && !ref.star) names.push(ref.column);
    else if (ref?.star) {
      const inner = new FromScope(select?.fromClause, CteScope.EMPTY, catalog);
      for (const s of inner.sources) if (s.kind === 'table') names.push(...(s.table?.columns.map((c) => c.name) ?? []));
    }
  }
  return names;
}
