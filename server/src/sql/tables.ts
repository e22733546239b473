import type { Node } from 'libpg-query';

/**
 * The tables a statement reads and writes, read from its AST. A table counts as written when it is the
 * target of DML (INSERT, UPDATE, DELETE, MERGE, COPY FROM, SELECT INTO) or of DDL that changes it
 * (CREATE, ALTER, DROP, TRUNCATE, CREATE INDEX, REFRESH); every other table reference is a read.
 * References to common table expressions are not tables and are left out, following SQL's scoping:
 * a CTE is visible in the query after it and in the CTEs that follow it (in itself too when RECURSIVE).
 */
export interface TableRef {
  /** The schema as written, when the reference is qualified. */
  schema?: string;
  name: string;
  /** Parser location of the first reference (a UTF-8 byte offset into the parsed text), when known. */
  location?: number;
}

export interface StatementTables {
  reads: TableRef[];
  writes: TableRef[];
}

/** `schema.name`, or `name` when unqualified. */
export function qualifiedName(table: TableRef): string {
  return table.schema ? `${table.schema}.${table.name}` : table.name;
}

export function statementTables(stmt: Node): StatementTables {
  const collector = new Collector();
  collector.visit(stmt, new Set());
  return { reads: collector.reads.list, writes: collector.writes.list };
}

/** A RangeVar as the parser emits it: wrapped in lists (`{ RangeVar: … }`), bare in fields like `relation`. */
interface RangeVarLike {
  schemaname?: string;
  relname?: string;
  location?: number;
}

type Json = Record<string, unknown>;

/** Statements whose WITH clause introduces CTE names. */
const WITH_HOLDERS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Fields holding a RangeVar that names something other than a table (a sequence, a composite type). */
const NON_TABLE_FIELDS = new Set(['sequence', 'typevar', 'identitySequence']);

/** DROP targets that are relations. */
const DROPPED_RELATIONS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

class TableSet {
  readonly list: TableRef[] = [];
  private readonly seen = new Set<string>();

  add(table: TableRef): void {
    const key = qualifiedName(table);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(table);
  }
}

class Collector {
  readonly reads = new TableSet();
  readonly writes = new TableSet();
  /** RangeVar objects that are write targets, marked before the generic walk reaches them. */
  private readonly targets = new Set<object>();

  visit(value: unknown, ctes: ReadonlySet<string>, field?: string): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, ctes, field);
      return;
    }
    if (!isObject(value)) return;
    const wrapped = wrappedNode(value);
    if (wrapped) {
      this.visitNode(wrapped.type, wrapped.body, ctes, field);
      return;
    }
    if (typeof value.relname === 'string') {
      this.visitRangeVar(value as RangeVarLike, ctes, field);
      return;
    }
    for (const [key, child] of Object.entries(value)) this.visit(child, ctes, key);
  }

  private visitNode(type: string, body: Json, ctes: ReadonlySet<string>, field?: string): void {
    if (type === 'RangeVar') {
      this.visitRangeVar(body as RangeVarLike, ctes, field);
      return;
    }
    this.markTargets(type, body);
    if (WITH_HOLDERS.has(type) && isObject(body.withClause)) {
      const inner = this.visitWithClause(body.withClause, ctes);
      for (const [key, child] of Object.entries(body)) {
        if (key !== 'withClause') this.visit(child, inner, key);
      }
      return;
    }
    for (const [key, child] of Object.entries(body)) this.visit(child, ctes, key);
  }

  /** Walks each CTE with the names visible to it; returns the names visible to the main query. */
  private visitWithClause(withClause: Json, outer: ReadonlySet<string>): ReadonlySet<string> {
    const recursive = withClause.recursive === true;
    const ctes = (Array.isArray(withClause.ctes) ? withClause.ctes : [])
      .map((node) => (isObject(node) && isObject(node.CommonTableExpr) ? node.CommonTableExpr : undefined))
      .filter((cte): cte is Json => cte !== undefined);
    const visible = new Set(outer);
    if (recursive) for (const cte of ctes) if (typeof cte.ctename === 'string') visible.add(cte.ctename);
    for (const cte of ctes) {
      const name = typeof cte.ctename === 'string' ? cte.ctename : undefined;
      // The walk is synchronous and keeps no reference to the set, so the CTE sees `visible` as it is
      // now without a copy (a copy per CTE made 17,750 CTEs take 30 s).
      this.visit(cte.ctequery, visible, 'ctequery');
      if (name) visible.add(name);
    }
    return visible;
  }

  private visitRangeVar(rangeVar: RangeVarLike, ctes: ReadonlySet<string>, field?: string): void {
    if (!rangeVar.relname || (field && NON_TABLE_FIELDS.has(field))) return;
    const table: TableRef = { name: rangeVar.relname };
    if (rangeVar.schemaname) table.schema = rangeVar.schemaname;
    if (rangeVar.location !== undefined && rangeVar.location >= 0) table.location = rangeVar.location;
    if (this.targets.has(rangeVar)) this.writes.add(table);
    else if (rangeVar.schemaname || !ctes.has(rangeVar.relname)) this.reads.add(table);
  }

  /** Marks the RangeVars a statement writes to, and records DROP targets (which are name lists). */
  private markTargets(type: string, body: Json): void {
    const mark = (value: unknown) => {
      if (isObject(value)) this.targets.add(isObject(value.RangeVar) ? value.RangeVar : value);
    };
    switch (type) {
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt':
      case 'CreateStmt':
      case 'IndexStmt':
      case 'AlterTableStmt':
      case 'RefreshMatViewStmt':
        mark(body.relation);
        break;
      case 'CopyStmt':
        if (body.is_from === true) mark(body.relation);
        break;
      case 'TruncateStmt':
        if (Array.isArray(body.relations)) body.relations.forEach(mark);
        break;
      case 'CreateTableAsStmt':
        if (isObject(body.into)) mark(body.into.rel);
        break;
      case 'SelectStmt':
        if (isObject(body.intoClause)) mark(body.intoClause.rel);
        break;
      case 'ViewStmt':
        mark(body.view);
        break;
      case 'DropStmt':
        if (typeof body.removeType === 'string' && DROPPED_RELATIONS.has(body.removeType)) this.addDropped(body.objects);
        break;
    }
  }

  /** DROP lists each relation as a list of name parts: `[schema, name]` or `[name]`. */
  private addDropped(objects: unknown): void {
    if (!Array.isArray(objects)) return;
    for (const object of objects) {
      const items = isObject(object) && isObject(object.List) && Array.isArray(object.List.items) ? object.List.items : [];
      const parts = items
        .map((item) => (isObject(item) && isObject(item.String) ? item.String.sval : undefined))
        .filter((part): part is string => typeof part === 'string');
      if (parts.length === 0) continue;
      const name = parts[parts.length - 1];
      const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
      this.writes.add(schema ? { schema, name } : { name });
    }
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ SelectStmt: {…} }` → its type and body; undefined for a bare struct such as a `relation` field. */
function wrappedNode(value: Json): { type: string; body: Json } | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const type = keys[0];
  const body = value[type];
  if (!/^[A-Z]/.test(type) || !isObject(body)) return undefined;
  return { type, body };
}
