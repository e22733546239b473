import type { Queryable } from './queryable';

/**
 * A hash that changes whenever a plan could: a table or index created, dropped or rewritten, a column
 * added, statistics refreshed (reltuples/relpages, last ANALYZE). One small catalog query, shared by
 * concurrent callers and reused for `maxAgeMs`, so checking it costs almost nothing.
 */
const FINGERPRINT = `
SELECT md5(coalesce(string_agg(concat_ws(':', c.oid, c.relfilenode, c.relkind, c.relnatts, c.relpages, c.reltuples,
                                          i.indisvalid, pg_stat_get_last_analyze_time(c.oid), pg_stat_get_last_autoanalyze_time(c.oid)),
                               ',' ORDER BY c.oid), '')) AS fingerprint
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = c.oid
WHERE c.relkind IN ('r', 'p', 'i', 'I', 'm', 'v', 'f')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

export class SchemaFingerprint {
  private value: string | undefined;
  private readAt = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly maxAgeMs = 1_000,
  ) {}

  current(): Promise<string> {
    const fresh = this.fresh();
    if (fresh !== undefined) return Promise.resolve(fresh);
    this.pending ??= this.db
      .query<{ fingerprint: string }>(FINGERPRINT)
      .then((result) => {
        this.value = result.rows[0]?.fingerprint ?? '';
        this.readAt = performance.now();
        return this.value;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The value last read, however old; undefined before the first read or after invalidate(). */
  get last(): string | undefined {
    return this.value;
  }

  /** The fingerprint when a recent read can be trusted without asking the database, else undefined. */
  fresh(): string | undefined {
    return this.value !== undefined && performance.now() - this.readAt < this.maxAgeMs ? this.value : undefined;
  }

  /** Forget the cached value, e.g. after pglens itself changed the schema. */
  invalidate(): void {
    this.value = undefined;
  }
}
