/**
 * What pglens knows about the schema. Two sources plug in behind this one interface: the workspace's
 * DDL (.sql files: migrations, schema.sql) when no database is connected, and the database catalog.
 * Names are stored as PostgreSQL folds them: unquoted identifiers lower-cased.
 */
export interface ColumnInfo {
  name: string;
  /** Type as written or as `format_type` prints it, e.g. `integer`, `text`, `timestamp with time zone`. */
  type: string;
  notNull: boolean;
}

export interface IndexInfo {
  name: string;
  /** Key columns; an expression key is kept as its SQL text, e.g. `lower(email)`. */
  columns: string[];
  unique: boolean;
  /** Partial-index predicate as SQL text. */
  predicate?: string;
  include?: string[];
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  primaryKey?: string[];
  /** Column sets that are unique on every row: the primary key, UNIQUE constraints and non-partial unique indexes. */
  uniqueKeys: string[][];
  indexes: IndexInfo[];
  /** Estimated row count, when the source knows it (a database's statistics, a workspace declaration). */
  rowEstimate?: number;
}

export interface Catalog {
  readonly source: 'workspace' | 'database' | 'empty';
  /** Looks a table up by name; without a schema, the first match on the search path (`public` first). */
  lookup(name: string, schema?: string): TableInfo | undefined;
  tables(): Iterable<TableInfo>;
}

export const EMPTY_CATALOG: Catalog = {
  source: 'empty',
  lookup: () => undefined,
  tables: () => [],
};
