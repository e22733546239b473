import type { Node } from 'libpg-query';
import { columnRefParts, listItems, nodeAs, stringsOf } from '../sql/ast';
import { quoteIdent } from '../sql/identifiers';

/**
 * SQL text for the small expressions an index definition can hold — index expressions such as
 * `lower(email)` and partial-index predicates such as `status = 'pending'` — written from the AST with
 * column qualifiers dropped (an index names its table's columns bare). libpg-query has no deparser;
 * anything outside this grammar (subqueries, parameters, aggregates, CASE…) gives undefined, and the
 * advisor then simply proposes no index on it.
 */
export function expressionSql(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const ref = columnRefParts(node);
  if (ref) return ref.star ? undefined : quoteIdent(ref.column);
  const constant = nodeAs(node, 'A_Const');
  if (constant) return constantSql(node);
  const cast = nodeAs(node, 'TypeCast');
  if (cast) {
    const inner = expressionSql(cast.arg);
    const type = typeSql(cast.typeName);
    if (inner === undefined || type === undefined) return undefined;
    return `${nodeAs(cast.arg, 'A_Const') || columnRefParts(cast.arg) ? inner : `(${inner})`}::${type}`;
  }
  const call = nodeAs(node, 'FuncCall');
  if (call) {
    if (call.agg_star || call.agg_distinct || call.agg_order?.length || call.agg_filter || call.over || call.agg_within_group || call.func_variadic) return undefined;
    const name = stringsOf(call.funcname);
    if (name.length === 0) return undefined;
    const args = (call.args ?? []).map(expressionSql);
    if (args.some((arg) => arg === undefined)) return undefined;
    return `${name.filter((part) => part !== 'pg_catalog').map(quoteIdent).join('.')}(${args.join(', ')})`;
  }
  const expr = nodeAs(node, 'A_Expr');
  if (expr) return operatorSql(node);
  const test = nodeAs(node, 'NullTest');
  if (test) {
    const arg = expressionSql(test.arg);
    return arg === undefined ? undefined : `${arg} IS ${test.nulltesttype === 'IS_NOT_NULL' ? 'NOT ' : ''}NULL`;
  }
  return undefined;
}

/** True when the text `expressionSql` gave is a function call, which CREATE INDEX takes without parentheses. */
export function isFunctionCall(node: Node | undefined): boolean {
  return nodeAs(node, 'FuncCall') !== undefined;
}

function operatorSql(node: Node): string | undefined {
  const expr = nodeAs(node, 'A_Expr');
  if (!expr) return undefined;
  const op = stringsOf(expr.name).join('.');
  if (!/^[+\-*/<>=~!@#%^&|`?]+$/.test(op) && expr.kind !== 'AEXPR_BETWEEN') return undefined;
  const left = expressionSql(expr.lexpr);
  if (left === undefined) return undefined;
  switch (expr.kind) {
    case 'AEXPR_OP': {
      if (!expr.lexpr) return undefined;
      const right = expressionSql(expr.rexpr);
      return right === undefined ? undefined : `${operand(expr.lexpr, left)} ${op} ${operand(expr.rexpr, right)}`;
    }
    case 'AEXPR_IN': {
      const items = listItems(expr.rexpr).map(expressionSql);
      if (items.length === 0 || items.some((item) => item === undefined)) return undefined;
      return `${operand(expr.lexpr, left)} ${op === '=' ? 'IN' : 'NOT IN'} (${items.join(', ')})`;
    }
    case 'AEXPR_BETWEEN': {
      const [low, high] = listItems(expr.rexpr).map(expressionSql);
      return low === undefined || high === undefined ? undefined : `${operand(expr.lexpr, left)} BETWEEN ${low} AND ${high}`;
    }
    default:
      return undefined;
  }
}

/** Nested operators keep their grouping with parentheses; columns, constants and calls need none. */
function operand(node: Node | undefined, text: string): string {
  return nodeAs(node, 'A_Expr') ? `(${text})` : text;
}

function constantSql(node: Node): string | undefined {
  const constant = nodeAs(node, 'A_Const');
  if (!constant || constant.isnull) return constant?.isnull ? 'NULL' : undefined;
  if (constant.ival) return String(constant.ival.ival ?? 0);
  if (constant.fval) return constant.fval.fval;
  if (constant.boolval) return constant.boolval.boolval ? 'true' : 'false';
  if (constant.sval) return quoteLiteral(constant.sval.sval ?? '');
  // The parser leaves `ival` empty for 0 and `boolval` empty for false.
  if ('ival' in constant) return '0';
  if ('boolval' in constant) return 'false';
  return undefined;
}

/** The value of a constant as pg_stats prints it (most_common_vals are text): `pending`, `42`. */
export function constantText(node: Node | undefined): string | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast) return constantText(cast.arg);
  const constant = nodeAs(node, 'A_Const');
  if (!constant || constant.isnull) return undefined;
  if (constant.sval) return constant.sval.sval ?? '';
  if (constant.ival) return String(constant.ival.ival ?? 0);
  if (constant.fval) return constant.fval.fval;
  if (constant.boolval) return constant.boolval.boolval ? 'true' : 'false';
  if ('ival' in constant) return '0';
  if ('boolval' in constant) return 'false';
  return undefined;
}

/** True for a constant, possibly cast: `'pending'`, `42`, `'2024-01-01'::date`. */
export function isConstant(node: Node | undefined): boolean {
  const cast = nodeAs(node, 'TypeCast');
  if (cast) return isConstant(cast.arg);
  const constant = nodeAs(node, 'A_Const');
  return constant !== undefined && !constant.isnull;
}

function typeSql(typeName: { names?: Node[]; typmods?: Node[]; arrayBounds?: Node[] } | undefined): string | undefined {
  const names = stringsOf(typeName?.names).filter((part) => part !== 'pg_catalog');
  if (names.length === 0) return undefined;
  const mods = (typeName?.typmods ?? []).map(constantSql);
  if (mods.some((mod) => mod === undefined)) return undefined;
  const base = names.map((part) => (/^[a-z_][a-z0-9_]*$/.test(part) ? part : quoteIdent(part))).join('.');
  return `${base}${mods.length ? `(${mods.join(', ')})` : ''}${'[]'.repeat(typeName?.arrayBounds?.length ?? 0)}`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
