import type { Node, RangeVar } from 'libpg-query';

/**
 * Small helpers over libpg-query's JSON AST, where a node is `{ TypeName: { …fields } }`. Some fields
 * hold a node unwrapped (`InsertStmt.relation` is a bare RangeVar); the walker reports those as
 * `RangeVar` too, so every table reference is seen.
 */
export type AstObject = Record<string, unknown>;

export type Visitor = (type: string, node: AstObject) => void;

/**
 * Visits every node below `root`. `enter`, when given, is called instead of descending: it returns
 * false to stop at that node (it may walk further itself), anything else to descend as usual.
 */
export function walkNodes(root: unknown, visit: Visitor, enter?: (type: string, node: AstObject) => boolean | void): void {
  if (Array.isArray(root)) {
    for (const item of root) walkNodes(item, visit, enter);
    return;
  }
  if (!isObject(root)) return;
  for (const [key, value] of Object.entries(root)) {
    if (!isObject(value) && !Array.isArray(value)) continue;
    let type: string | undefined;
    if (isObject(value) && /^[A-Z]/.test(key)) type = key;
    else if (isObject(value) && UNWRAPPED_RANGE_VARS.has(key) && typeof value.relname === 'string') type = 'RangeVar';
    if (type !== undefined && isObject(value)) {
      visit(type, value);
      if (enter?.(type, value) === false) continue;
    }
    walkNodes(value, visit, enter);
  }
}

/** Fields whose value is a bare RangeVar rather than a `{ RangeVar: … }` node. */
const UNWRAPPED_RANGE_VARS = new Set(['relation']);

export function isObject(value: unknown): value is AstObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The node's type name and fields: `{ SelectStmt: {…} }` → `['SelectStmt', {…}]`. */
export function unwrap(node: unknown): [string, AstObject] | undefined {
  if (!isObject(node)) return undefined;
  const [type] = Object.keys(node);
  const value = type === undefined ? undefined : node[type];
  return type !== undefined && isObject(value) ? [type, value] : undefined;
}

/** `[{ String: { sval: 'a' } }, …]` → `['a', …]`; non-strings (e.g. `A_Star`) become `*`. */
export function nameParts(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const node = unwrap(item);
    if (node?.[0] === 'String') return String(node[1].sval ?? '');
    return '*';
  });
}

/** `"schema"."table"` with PostgreSQL's quoting, safe to splice into SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedName(relation: { schema?: string; name: string }): string {
  return relation.schema ? `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}` : quoteIdent(relation.name);
}

export interface RelationRef {
  schema?: string;
  name: string;
  /** The alias written in the query, if any. */
  alias?: string;
  location?: number;
}

export function relationRef(rangeVar: RangeVar | AstObject): RelationRef {
  const rv = rangeVar as RangeVar;
  return {
    schema: rv.schemaname || undefined,
    name: rv.relname ?? '',
    alias: rv.alias?.aliasname || undefined,
    location: rv.location,
  };
}

/** The top-level node of a parsed statement, e.g. `SelectStmt`. */
export function statementType(stmt: Node): string {
  return Object.keys(stmt)[0] ?? 'unknown';
}
