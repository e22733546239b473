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
  if (typeof root !== 'object' || root === null) return;
  const object = root as AstObject;
  // for…in and a char-code test: this runs over every AST before every EXPLAIN, so it stays lean.
  for (const key in object) {
    const value = object[key];
    if (typeof value !== 'object' || value === null) continue;
    const first = key.charCodeAt(0);
    let type: string | undefined;
    if (first >= 65 && first <= 90 && !Array.isArray(value)) type = key;
    else if (key === 'relation' && typeof (value as AstObject).relname === 'string') type = 'RangeVar';
    if (type !== undefined) {
      visit(type, value as AstObject);
      if (enter?.(type, value as AstObject) === false) continue;
    }
    walkNodes(value, visit, enter);
  }
}

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
