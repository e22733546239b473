import type { Catalog, ColumnInfo, IndexInfo, TableInfo } from './catalog';

/**
 * A mutable schema that DDL statements are applied to, one after another, as PostgreSQL would apply
 * them; `toCatalog()` freezes it into the `Catalog` the rules read. Every operation on something that
 * does not exist is a no-op: migrations are read as they are, never rejected.
 */
export interface NamedKey {
  name: string;
  columns: string[];
}

export interface IndexModel extends IndexInfo {
  /** Per key: true when it is an expression rather than a plain column. */
  expressionKeys: boolean[];
}

export interface TableModel {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  primaryKey?: NamedKey;
  uniques: NamedKey[];
  indexes: IndexModel[];
}

const DEFAULT_SCHEMA = 'public';

export class SchemaModel {
  private readonly tables = new Map<string, TableModel>();
  /** Schemas unqualified names resolve in, as set by `SET search_path`; reset per file. */
  searchPath: string[] = [DEFAULT_SCHEMA];

  /** The schema an unqualified CREATE puts a table in: the first schema on the search path. */
  creationSchema(schema?: string): string {
    return schema ?? this.searchPath.find((s) => s !== '$user' && s !== 'pg_catalog') ?? DEFAULT_SCHEMA;
  }

  /** The table an existing name refers to: exact when qualified, else by search path, then any schema. */
  find(name: string, schema?: string): TableModel | undefined {
    if (schema !== undefined) return this.tables.get(key(schema, name));
    for (const s of [...this.searchPath, DEFAULT_SCHEMA]) {
      const table = this.tables.get(key(s, name));
      if (table) return table;
    }
    for (const table of this.tables.values()) if (table.name === name) return table;
    return undefined;
  }

  allTables(): TableModel[] {
    return [...this.tables.values()];
  }

  put(table: TableModel): void {
    this.tables.set(key(table.schema, table.name), table);
  }

  remove(table: TableModel): void {
    this.tables.delete(key(table.schema, table.name));
  }

  /** Moves a table to a new name or schema, keeping everything else. */
  move(table: TableModel, name: string, schema: string): void {
    this.remove(table);
    table.name = name;
    table.schema = schema;
    this.put(table);
  }

  /** The table holding an index (or constraint index) called `name`, and the index. */
  findIndex(name: string, schema?: string): { table: TableModel; index: IndexModel } | undefined {
    const schemas = schema !== undefined ? [schema] : [...this.searchPath, DEFAULT_SCHEMA];
    for (const table of this.tables.values()) {
      if (schema !== undefined && table.schema !== schema) continue;
      const index = table.indexes.find((i) => i.name === name);
      if (index && (schema !== undefined || schemas.includes(table.schema))) return { table, index };
    }
    if (schema !== undefined) return undefined;
    for (const table of this.tables.values()) {
      const index = table.indexes.find((i) => i.name === name);
      if (index) return { table, index };
    }
    return undefined;
  }

  /** A name not yet used by an index or constraint in the schema: `base`, else `base1`, `base2`… */
  freeIndexName(schema: string, base: string): string {
    const used = (name: string): boolean => {
      for (const table of this.tables.values()) {
        if (table.schema !== schema) continue;
        if (table.primaryKey?.name === name || table.uniques.some((u) => u.name === name) || table.indexes.some((i) => i.name === name)) {
          return true;
        }
      }
      return false;
    };
    if (!used(base)) return base;
    for (let n = 1; ; n++) if (!used(`${base}${n}`)) return `${base}${n}`;
  }

  /** A read-only Catalog of the current state (a snapshot: later changes do not show through). */
  toCatalog(): Catalog {
    const frozen = [...this.tables.values()].map(freeze);
    const byKey = new Map(frozen.map((table) => [key(table.schema, table.name), table]));
    return {
      source: 'workspace',
      lookup(name, schema) {
        if (schema !== undefined) return byKey.get(key(schema, name));
        return byKey.get(key(DEFAULT_SCHEMA, name)) ?? frozen.find((table) => table.name === name);
      },
      tables: () => frozen,
    };
  }

  /** A live Catalog view, for reading the schema while DDL is still being applied (CREATE VIEW). */
  asCatalog(): Catalog {
    return {
      source: 'workspace',
      lookup: (name, schema) => {
        const table = this.find(name, schema);
        return table ? freeze(table) : undefined;
      },
      tables: () => [...this.tables.values()].map(freeze),
    };
  }
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

/** The TableInfo of a model: constraint indexes listed with the explicit ones, unique keys gathered. */
function freeze(table: TableModel): TableInfo {
  const constraintIndexes: IndexInfo[] = [
    ...(table.primaryKey ? [{ name: table.primaryKey.name, columns: [...table.primaryKey.columns], unique: true }] : []),
    ...table.uniques.map((u) => ({ name: u.name, columns: [...u.columns], unique: true })),
  ];
  const indexes: IndexInfo[] = [
    ...constraintIndexes,
    ...table.indexes.map(({ expressionKeys: _expressionKeys, ...index }) => ({
      ...index,
      columns: [...index.columns],
      ...(index.include ? { include: [...index.include] } : {}),
    })),
  ];
  // The primary key is listed too, as the database catalog lists every unique index.
  const uniqueKeys: string[][] = [];
  const addKey = (columns: string[]) => {
    if (!uniqueKeys.some((k) => sameSet(k, columns))) uniqueKeys.push([...columns]);
  };
  if (table.primaryKey) addKey(table.primaryKey.columns);
  for (const unique of table.uniques) addKey(unique.columns);
  for (const index of table.indexes) {
    if (index.unique && !index.predicate && !index.expressionKeys.some(Boolean)) addKey(index.columns);
  }
  const info: TableInfo = {
    schema: table.schema,
    name: table.name,
    columns: table.columns.map((c) => ({ ...c })),
    uniqueKeys,
    indexes,
  };
  if (table.primaryKey) info.primaryKey = [...table.primaryKey.columns];
  return info;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
