import type { CommonTableExpr, JoinExpr, Node, RangeVar, WithClause } from 'libpg-query';
import type { Catalog, TableInfo } from '../schema/catalog';
import { listItems, nodeAs, stringsOf } from './ast';

/**
 * Name resolution for one query level: what its FROM clause brings into scope (tables, CTEs,
 * subqueries, functions, joins) and which of them a qualified name or a column reference means.
 */

/** The common table expressions visible at a point of a query, innermost WITH first. */
export class CteScope {
  private constructor(
    private readonly ctes: ReadonlyMap<string, CommonTableExpr>,
    private readonly parent: CteScope | undefined,
  ) {}

  static readonly EMPTY = new CteScope(new Map(), undefined);

  /** The scope inside a query with `withClause`, seen from `parent`. */
  static enter(withClause: WithClause | undefined, parent: CteScope): CteScope {
    const ctes = new Map<string, CommonTableExpr>();
    for (const node of withClause?.ctes ?? []) {
      const cte = nodeAs(node, 'CommonTableExpr');
      if (cte?.ctename) ctes.set(cte.ctename, cte);
    }
    return ctes.size === 0 ? parent : new CteScope(ctes, parent);
  }

  find(name: string): CommonTableExpr | undefined {
    return this.ctes.get(name) ?? this.parent?.find(name);
  }
}

/** Something in a FROM clause that rows come from, named by `refName` (its alias, else its name). */
export type Source = TableSource | CteSource | SubquerySource | FunctionSource | OtherSource;

interface SourceBase {
  /** The name columns are qualified with: the alias, else the table or CTE name; absent when unnamed. */
  refName?: string;
  /** Column names given in the alias, `AS u(a, b)`: they rename the first columns. */
  aliasColumns: string[];
}

export interface TableSource extends SourceBase {
  kind: 'table';
  name: string;
  schema?: string;
  /** The catalog's table, when the catalog knows it. */
  table?: TableInfo;
  rangeVar: RangeVar;
}

export interface CteSource extends SourceBase {
  kind: 'cte';
  cte: CommonTableExpr;
  /** The scope the CTE's own query sees. */
  scope: CteScope;
}

export interface SubquerySource extends SourceBase {
  kind: 'subquery';
  query: Node;
  lateral: boolean;
  scope: CteScope;
}

export interface FunctionSource extends SourceBase {
  kind: 'function';
  /** Column names from a column definition list, `AS f(a int, b text)`, when given. */
  definedColumns?: string[];
}

/** A source pglens does not look into (XMLTABLE, JSON_TABLE, …). */
export interface OtherSource extends SourceBase {
  kind: 'other';
}

/** A FROM item: a source, or a join of two items. */
export type FromItem = { kind: 'source'; source: Source } | JoinItem;

export interface JoinItem {
  kind: 'join';
  join: JoinExpr;
  left: FromItem;
  right: FromItem;
  /** `USING (…)` columns. */
  using: string[];
  natural: boolean;
  /** `(a JOIN b) AS j` hides a and b behind the name j. */
  alias?: string;
  aliasColumns: string[];
}

/** The FROM clause of one query level, resolved against the CTEs in scope and the catalog. */
export class FromScope {
  readonly items: FromItem[];
  /** Every named thing a qualifier can refer to: sources, and joins that have an alias. */
  readonly named: (Source | JoinItem)[];
  /** Every leaf source (tables, CTEs, subqueries, functions), joins looked through. */
  readonly sources: Source[];

  constructor(fromClause: readonly Node[] | undefined, readonly ctes: CteScope, readonly catalog: Catalog) {
    this.items = (fromClause ?? []).map((node) => this.item(node)).filter((item): item is FromItem => item !== undefined);
    this.sources = this.items.flatMap(leafSources);
    this.named = [];
    const collect = (item: FromItem): void => {
      if (item.kind === 'source') this.named.push(item.source);
      else if (item.alias !== undefined) this.named.push(item);
      else {
        collect(item.left);
        collect(item.right);
      }
    };
    this.items.forEach(collect);
  }

  /** The source or aliased join a qualifier names: `u` in `u.id`, `public.users` in `public.users.id`. */
  findQualified(qualifier: readonly string[]): Source | JoinItem | undefined {
    if (qualifier.length === 0) return undefined;
    const name = qualifier[qualifier.length - 1];
    const schema = qualifier.length > 1 ? qualifier[qualifier.length - 2] : undefined;
    return this.named.find((named) => {
      const refName = named.kind === 'join' ? named.alias : named.refName;
      if (refName !== name) return false;
      if (schema === undefined) return true;
      // `public.users.id` only names a table written without an alias.
      return named.kind === 'table' && !named.rangeVar.alias && (named.schema ?? 'public') === schema;
    });
  }

  private item(node: Node): FromItem | undefined {
    const join = nodeAs(node, 'JoinExpr');
    if (join) {
      const left = join.larg ? this.item(join.larg) : undefined;
      const right = join.rarg ? this.item(join.rarg) : undefined;
      if (!left || !right) return undefined;
      return {
        kind: 'join',
        join,
        left,
        right,
        using: stringsOf(join.usingClause),
        natural: join.isNatural === true,
        alias: join.alias?.aliasname,
        aliasColumns: stringsOf(join.alias?.colnames),
      };
    }
    const source = this.source(node);
    return source ? { kind: 'source', source } : undefined;
  }

  private source(node: Node): Source | undefined {
    const rangeVar = nodeAs(node, 'RangeVar');
    if (rangeVar) return this.relation(rangeVar);
    const sample = nodeAs(node, 'RangeTableSample');
    if (sample?.relation) return this.source(sample.relation);
    const subselect = nodeAs(node, 'RangeSubselect');
    if (subselect?.subquery) {
      return {
        kind: 'subquery',
        query: subselect.subquery,
        lateral: subselect.lateral === true,
        scope: this.ctes,
        refName: subselect.alias?.aliasname,
        aliasColumns: stringsOf(subselect.alias?.colnames),
      };
    }
    const fn = nodeAs(node, 'RangeFunction');
    if (fn) {
      const defined = (fn.coldeflist ?? []).map((def) => nodeAs(def, 'ColumnDef')?.colname);
      const firstCall = nodeAs(listItems(fn.functions?.[0])[0], 'FuncCall');
      const callName = stringsOf(firstCall?.funcname).pop();
      return {
        kind: 'function',
        refName: fn.alias?.aliasname ?? callName,
        aliasColumns: stringsOf(fn.alias?.colnames),
        definedColumns: defined.length > 0 && defined.every((name) => name !== undefined) ? (defined as string[]) : undefined,
      };
    }
    const other = Object.values(node)[0] as { alias?: { aliasname?: string; colnames?: Node[] } } | undefined;
    return { kind: 'other', refName: other?.alias?.aliasname, aliasColumns: stringsOf(other?.alias?.colnames) };
  }

  private relation(rangeVar: RangeVar): Source | undefined {
    const name = rangeVar.relname;
    if (!name) return undefined;
    const aliasColumns = stringsOf(rangeVar.alias?.colnames);
    const refName = rangeVar.alias?.aliasname ?? name;
    if (!rangeVar.schemaname) {
      const cte = this.ctes.find(name);
      if (cte) return { kind: 'cte', cte, scope: this.ctes, refName, aliasColumns };
    }
    const table = this.catalog.lookup(name, rangeVar.schemaname);
    return { kind: 'table', name, schema: rangeVar.schemaname, table, rangeVar, refName, aliasColumns };
  }
}

/** Leaf sources of a FROM item, joins looked through. */
export function leafSources(item: FromItem): Source[] {
  return item.kind === 'source' ? [item.source] : [...leafSources(item.left), ...leafSources(item.right)];
}

/** The name a source is shown by in messages: `public.users` for a qualified table, else its name. */
export function sourceLabel(source: Source): string {
  if (source.kind === 'table') return source.schema ? `${source.schema}.${source.name}` : source.name;
  if (source.kind === 'cte') return source.cte.ctename ?? 'a common table expression';
  return source.refName ?? `a ${source.kind}`;
}
