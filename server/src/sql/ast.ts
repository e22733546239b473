import type { Node } from 'libpg-query';

/**
 * Small typed helpers over libpg-query's JSON AST, where every node is a one-key object such as
 * `{ SelectStmt: {…} }`. Rules and the index advisor read the tree through these instead of casting.
 */
type KeysOf<T> = T extends unknown ? keyof T : never;

/** Every node type name: `SelectStmt`, `ColumnRef`, … */
export type NodeKind = KeysOf<Node>;

/** The body type of a node kind: `NodeBody<'SelectStmt'>` is `SelectStmt`. */
export type NodeBody<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];

/** The node's body when it is of `kind`, else undefined. */
export function nodeAs<K extends NodeKind>(node: Node | undefined, kind: K): NodeBody<K> | undefined {
  if (!node || !(kind in node)) return undefined;
  return (node as unknown as Record<K, NodeBody<K>>)[kind];
}

/** The text of a `String` node (identifiers, operator names), else undefined. */
export function stringOf(node: Node | undefined): string | undefined {
  return nodeAs(node, 'String')?.sval;
}

/** The strings of a name list such as `funcname`, `names`, ColumnRef `fields` (non-strings skipped). */
export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  const out: string[] = [];
  for (const node of nodes ?? []) {
    const value = stringOf(node);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** The items of a `List` node, or the node itself as a one-item list. */
export function listItems(node: Node | undefined): Node[] {
  if (!node) return [];
  const list = nodeAs(node, 'List');
  return list ? (list.items ?? []) : [node];
}

/** A column reference split into its qualifier parts and column, or a star. */
export interface ColumnRefParts {
  /** `['u']` for `u.id`, `['public', 'users']` for `public.users.id`, `[]` unqualified. */
  qualifier: string[];
  /** The column name, or `*` for a star. */
  column: string;
  star: boolean;
}

export function columnRefParts(node: Node | undefined): ColumnRefParts | undefined {
  const ref = nodeAs(node, 'ColumnRef');
  const fields = ref?.fields ?? [];
  if (fields.length === 0) return undefined;
  const last = fields[fields.length - 1];
  const qualifier = stringsOf(fields.slice(0, -1));
  if (qualifier.length !== fields.length - 1) return undefined;
  if ('A_Star' in last) return { qualifier, column: '*', star: true };
  const column = stringOf(last);
  return column === undefined ? undefined : { qualifier, column, star: false };
}

/**
 * Visits every node under `root` (root included) in document order of the JSON. Return `false` from
 * `visit` to skip a node's children (e.g. not descending into subqueries).
 */
export function walk(root: Node | readonly Node[] | undefined, visit: (node: Node) => boolean | void): void {
  const stack: unknown[] = Array.isArray(root) ? [...root].reverse() : root ? [root] : [];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
      continue;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && isNodeKey(keys[0])) {
      if (visit(record as Node) !== false) stack.push(record[keys[0]]);
      continue;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const child = record[keys[i]];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
}

/** Node type names start with an upper-case letter; struct fields never do. */
function isNodeKey(key: string): boolean {
  const code = key.charCodeAt(0);
  return code >= 65 && code <= 90;
}

/** The smallest parser location in a subtree (where an expression starts), or undefined. */
export function firstLocation(root: Node | undefined): number | undefined {
  let first: number | undefined;
  const visitLocations = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visitLocations);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'location' && typeof child === 'number' && child >= 0) first = first === undefined ? child : Math.min(first, child);
      else visitLocations(child);
    }
  };
  visitLocations(root);
  return first;
}

/** The AND-ed terms of a boolean expression: `a AND (b AND c)` gives `[a, b, c]`. */
export function conjuncts(expr: Node | undefined): Node[] {
  if (!expr) return [];
  const bool = nodeAs(expr, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return (bool.args ?? []).flatMap(conjuncts);
  return [expr];
}

/** True when the subtree contains a node of one of `kinds`. */
export function contains(root: Node | undefined, kinds: readonly NodeKind[]): boolean {
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (kinds.some((kind) => kind in node)) found = true;
    return !found;
  });
  return found;
}
