import type { Catalog, ColumnInfo, IndexInfo, TableInfo } from '../schema/catalog';
import type { Database } from './queryable';
import { SchemaFingerprint } from './schema-fingerprint';

/**
 * The schema as the connected database knows it: tables, views, columns with types, primary and unique
 * keys, indexes (definition, predicate, INCLUDE) and row estimates, read in one query and kept until
 * `refresh()`. Column statistics (pg_stats) are read per table on demand, for the index advisor.
 */
export interface DatabaseIndexInfo extends IndexInfo {
  /** `CREATE INDEX … ON … USING btree (…)`, as pg_get_indexdef prints it. */
  definition: string;
  /** Access method: btree, hash, gin, gist, brin, … */
  method: string;
  primary: boolean;
  /** False while CREATE INDEX CONCURRENTLY has not finished (the planner ignores it). */
  valid: boolean;
}

export interface DatabaseTableInfo extends TableInfo {
  /** r table, p partitioned table, v view, m materialized view, f foreign table. */
  kind: 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table';
  indexes: DatabaseIndexInfo[];
}

export interface ColumnStatistics {
  column: string;
  /** Share of rows that are NULL, 0–1. */
  nullFraction: number;
  /** pg_stats.n_distinct: a count, or minus the share of rows when it grows with the table. */
  nDistinct: number;
  /** Distinct values as a count, using the table's row estimate for the negative form. */
  distinctEstimate?: number;
  /** Most common values as text, with their frequencies (0–1), most common first. */
  mostCommonValues: string[];
  mostCommonFrequencies: number[];
  /** Physical order vs. value order, −1…1; near ±1 makes range scans cheap. */
  correlation?: number;
  /** pg_stats.avg_width: average stored width in bytes, for index size estimates and INCLUDE choices. */
  averageWidth?: number;
}

const KINDS: Record<string, DatabaseTableInfo['kind']> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
};

const TABLES = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.reltuples::float8 AS reltuples,
  (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull) ORDER BY a.attnum)
     FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
  (SELECT json_agg(json_build_object('type', con.contype, 'columns',
            (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum)) ORDER BY con.conname)
     FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype IN ('p', 'u')) AS keys,
  (SELECT json_agg(json_build_object(
            'name', ic.relname, 'unique', i.indisunique, 'primary', i.indisprimary, 'valid', i.indisvalid, 'method', am.amname,
            'definition', pg_get_indexdef(i.indexrelid), 'predicate', pg_get_expr(i.indpred, i.indrelid), 'keyCount', i.indnkeyatts,
            'columns', (SELECT json_agg(CASE WHEN i.indkey[k - 1] <> 0
                                             THEN (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = i.indkey[k - 1])
                                             ELSE pg_get_indexdef(i.indexrelid, k, true) END ORDER BY k)
                        FROM generate_series(1, i.indnatts) k)) ORDER BY ic.relname)
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = c.oid) AS indexes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
ORDER BY n.nspname, c.relname`;

const STATISTICS = `
SELECT attname AS column, null_frac::float8 AS null_frac, n_distinct::float8 AS n_distinct,
       array_to_json(most_common_vals::text::text[]) AS values, array_to_json(most_common_freqs) AS freqs,
       correlation::float8 AS correlation, avg_width AS avg_width
FROM pg_stats WHERE schemaname = $1 AND tablename = $2
ORDER BY inherited`;

interface TableRow {
  schema: string;
  name: string;
  kind: string;
  reltuples: number;
  columns: ColumnInfo[] | null;
  keys: { type: 'p' | 'u'; columns: string[] | null }[] | null;
  indexes:
    | { name: string; unique: boolean; primary: boolean; valid: boolean; method: string; definition: string; predicate: string | null; keyCount: number; columns: string[] | null }[]
    | null;
}

interface StatisticsRow {
  column: string;
  null_frac: number;
  n_distinct: number;
  values: string[] | null;
  freqs: number[] | null;
  correlation: number | null;
  avg_width: number | null;
}

export class DatabaseCatalog implements Catalog {
  readonly source = 'database' as const;
  private byKey = new Map<string, DatabaseTableInfo>();
  private searchPath: string[] = ['public'];
  private statistics = new Map<string, Promise<Map<string, ColumnStatistics>>>();
  private loading: Promise<void> | undefined;
  private readonly fingerprint: SchemaFingerprint;
  private loadedFingerprint: string | undefined;

  private constructor(
    private readonly db: Database,
    schemaCheckIntervalMs: number,
  ) {
    this.fingerprint = new SchemaFingerprint(db, schemaCheckIntervalMs);
  }

  /**
   * Reads the catalog; rejects when the database cannot be read (the caller keeps its old catalog).
   * `schemaCheckIntervalMs`: how long `refreshIfChanged` trusts its last look at the schema (default 1 s).
   */
  static async load(db: Database, options: { schemaCheckIntervalMs?: number } = {}): Promise<DatabaseCatalog> {
    const catalog = new DatabaseCatalog(db, options.schemaCheckIntervalMs ?? 1_000);
    await catalog.refresh();
    return catalog;
  }

  lookup(name: string, schema?: string): DatabaseTableInfo | undefined {
    if (schema) return this.byKey.get(key(schema, name));
    for (const candidate of this.searchPath) {
      const table = this.byKey.get(key(candidate, name));
      if (table) return table;
    }
    return undefined;
  }

  tables(): Iterable<DatabaseTableInfo> {
    return this.byKey.values();
  }

  /** Reads everything again; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.loading ??= this.read().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Refreshes only when the schema fingerprint moved (a migration, an ANALYZE); true if it did. */
  async refreshIfChanged(): Promise<boolean> {
    const current = await this.fingerprint.current();
    if (current === this.loadedFingerprint) return false;
    await this.refresh();
    return true;
  }

  /** pg_stats for one table, by column; cached until the next refresh. Empty before ANALYZE. */
  columnStatistics(table: { schema: string; name: string }): Promise<Map<string, ColumnStatistics>> {
    const k = key(table.schema, table.name);
    let stats = this.statistics.get(k);
    if (!stats) {
      const rowEstimate = this.byKey.get(k)?.rowEstimate;
      stats = this.db.query<StatisticsRow>(STATISTICS, [table.schema, table.name]).then((result) => toStatistics(result.rows, rowEstimate));
      stats.catch(() => this.statistics.delete(k));
      this.statistics.set(k, stats);
    }
    return stats;
  }

  private async read(): Promise<void> {
    const fingerprint = await this.fingerprint.current();
    // The query's cost estimate is high enough to trigger JIT compilation, which alone takes ~1 s.
    const [tables, path] = await this.db.withSession(async (session) => {
      await session.control(['BEGIN READ ONLY', 'SET LOCAL jit = off']);
      try {
        return [
          await session.query<TableRow>(TABLES),
          await session.query<{ path: string[] }>('SELECT current_schemas(false)::text[] AS path'),
        ] as const;
      } finally {
        await session.control(['ROLLBACK']).catch(() => undefined);
      }
    });
    const byKey = new Map<string, DatabaseTableInfo>();
    for (const row of tables.rows) byKey.set(key(row.schema, row.name), toTable(row));
    this.byKey = byKey;
    this.searchPath = path.rows[0]?.path ?? ['public'];
    this.statistics = new Map();
    this.loadedFingerprint = fingerprint;
  }
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

function toTable(row: TableRow): DatabaseTableInfo {
  const keys = row.keys ?? [];
  const indexes: DatabaseIndexInfo[] = (row.indexes ?? []).map((index) => {
    const columns = index.columns ?? [];
    const info: DatabaseIndexInfo = {
      name: index.name,
      columns: columns.slice(0, index.keyCount),
      unique: index.unique,
      definition: index.definition,
      method: index.method,
      primary: index.primary,
      valid: index.valid,
    };
    if (index.predicate) info.predicate = index.predicate;
    if (columns.length > index.keyCount) info.include = columns.slice(index.keyCount);
    return info;
  });
  const columnNames = new Set((row.columns ?? []).map((c) => c.name));
  const uniqueKeys = [
    ...keys.map((k) => k.columns ?? []),
    // Unique indexes without a predicate or expressions are unique keys too.
    ...indexes.filter((i) => i.unique && !i.predicate && i.columns.every((c) => columnNames.has(c))).map((i) => i.columns),
  ];
  const table: DatabaseTableInfo = {
    schema: row.schema,
    name: row.name,
    kind: KINDS[row.kind] ?? 'table',
    columns: row.columns ?? [],
    uniqueKeys: dedupe(uniqueKeys),
    indexes,
  };
  const primaryKey = keys.find((k) => k.type === 'p')?.columns;
  if (primaryKey) table.primaryKey = primaryKey;
  // reltuples is -1 until the table is first vacuumed or analyzed (PostgreSQL 14+), 0 before that on older servers.
  if (row.reltuples >= 0 && (row.kind === 'r' || row.kind === 'p' || row.kind === 'm')) table.rowEstimate = Math.round(row.reltuples);
  return table;
}

function dedupe(keys: string[][]): string[][] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = JSON.stringify(k);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function toStatistics(rows: StatisticsRow[], rowEstimate: number | undefined): Map<string, ColumnStatistics> {
  const byColumn = new Map<string, ColumnStatistics>();
  for (const row of rows) {
    if (byColumn.has(row.column)) continue; // non-inherited statistics come first
    const stats: ColumnStatistics = {
      column: row.column,
      nullFraction: row.null_frac,
      nDistinct: row.n_distinct,
      mostCommonValues: row.values ?? [],
      mostCommonFrequencies: row.freqs ?? [],
    };
    if (row.n_distinct >= 0) stats.distinctEstimate = row.n_distinct;
    else if (rowEstimate !== undefined) stats.distinctEstimate = Math.round(-row.n_distinct * rowEstimate);
    if (row.correlation !== null) stats.correlation = row.correlation;
    if (row.avg_width !== null) stats.averageWidth = row.avg_width;
    byColumn.set(row.column, stats);
  }
  return byColumn;
}
