import type { Node } from 'libpg-query';
import { isObject, nameParts, qualifiedName, quoteIdent, relationRef, unwrap, type AstObject, type RelationRef } from './ast';
import type { Queryable } from './queryable';

/**
 * Values for `$n` when EXPLAIN ANALYZE needs real ones and the caller gave none: for each `col = $n`
 * (either way round, casts allowed) whose column resolves to one table of the enclosing query, one
 * non-null value of that column. Deliberately simple: anything else stays unsampled.
 */
export interface ParameterSource {
  parameter: number;
  relation: RelationRef;
  column: string;
}

export interface ParameterSample extends ParameterSource {
  /** The value as text; PostgreSQL casts it to the parameter's type. */
  value: string;
}

export function parameterSources(stmt: Node): ParameterSource[] {
  const found = new Map<number, ParameterSource>();
  visit(stmt, [], found);
  return [...found.values()].sort((a, b) => a.parameter - b.parameter);
}

/** Reads one value per source; sources whose column is empty or unreadable are left out. */
export async function sampleParameters(sources: ParameterSource[], db: Queryable): Promise<ParameterSample[]> {
  const samples: ParameterSample[] = [];
  for (const source of sources) {
    const column = quoteIdent(source.column);
    try {
      const { rows } = await db.query<{ v: string | null }>(
        `SELECT ${column}::text AS v FROM ${qualifiedName(source.relation)} WHERE ${column} IS NOT NULL LIMIT 1`,
      );
      const value = rows[0]?.v;
      if (typeof value === 'string') samples.push({ ...source, value });
    } catch {
      // A column we misread or cannot see: the parameter stays unsampled and ANALYZE says so.
    }
  }
  return samples;
}

/** Tables visible to expressions of one query level: FROM items (through joins), UPDATE/DELETE targets. */
function scopeOf(type: string, node: AstObject): RelationRef[] {
  const items: unknown[] = [];
  if (type === 'UpdateStmt' || type === 'DeleteStmt') items.push({ RangeVar: node.relation });
  for (const key of ['fromClause', 'usingClause']) if (Array.isArray(node[key])) items.push(...(node[key] as unknown[]));
  const relations: RelationRef[] = [];
  const collect = (item: unknown) => {
    const entry = unwrap(item);
    if (!entry) return;
    if (entry[0] === 'RangeVar') relations.push(relationRef(entry[1]));
    if (entry[0] === 'JoinExpr') {
      collect(entry[1].larg);
      collect(entry[1].rarg);
    }
  };
  items.forEach(collect);
  return relations;
}

const SCOPED = new Set(['SelectStmt', 'UpdateStmt', 'DeleteStmt']);

function visit(value: unknown, scope: RelationRef[], found: Map<number, ParameterSource>): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, scope, found);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (!isObject(child) && !Array.isArray(child)) continue;
    let inner = scope;
    if (isObject(child) && SCOPED.has(key)) inner = scopeOf(key, child);
    if (key === 'A_Expr' && isObject(child)) match(child, inner, found);
    visit(child, inner, found);
  }
}

function match(expr: AstObject, scope: RelationRef[], found: Map<number, ParameterSource>): void {
  if (expr.kind !== 'AEXPR_OP' || nameParts(expr.name).join('.') !== '=') return;
  const sides: [unknown, unknown][] = [
    [expr.lexpr, expr.rexpr],
    [expr.rexpr, expr.lexpr],
  ];
  for (const [columnSide, paramSide] of sides) {
    const column = unwrap(stripCast(columnSide));
    const param = unwrap(stripCast(paramSide));
    if (column?.[0] !== 'ColumnRef' || param?.[0] !== 'ParamRef') continue;
    const number = param[1].number;
    if (typeof number !== 'number' || found.has(number)) continue;
    const resolved = resolveColumn(nameParts(column[1].fields), scope);
    if (resolved) found.set(number, { parameter: number, ...resolved });
  }
}

function stripCast(node: unknown): unknown {
  const entry = unwrap(node);
  return entry?.[0] === 'TypeCast' ? stripCast(entry[1].arg) : node;
}

function resolveColumn(parts: string[], scope: RelationRef[]): { relation: RelationRef; column: string } | undefined {
  const column = parts.at(-1);
  if (!column || column === '*') return undefined;
  if (parts.length === 1) return scope.length === 1 ? { relation: scope[0], column } : undefined;
  const qualifier = parts.at(-2);
  const schema = parts.length >= 3 ? parts.at(-3) : undefined;
  const relation = scope.find((r) =>
    r.alias ? r.alias === qualifier && !schema : r.name === qualifier && (!schema || r.schema === schema),
  );
  return relation ? { relation, column } : undefined;
}
