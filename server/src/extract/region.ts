import type { PositionMap } from './position-map';

/** How a piece of SQL was found; decides how sure we are that it is SQL at all. */
export type RegionOrigin =
  | 'sql-file' // a statement of a .sql file
  | 'query-call' // a literal passed to a query call: pool.query("…"), prisma.$queryRawUnsafe("…")
  | 'tagged-template' // sql`…`, Prisma.sql`…`
  | 'sql-comment' // a literal marked /* sql */
  | 'sql-const'; // a const holding SQL that is passed to a query call in the same file

/** One piece of SQL found in a document, with the map that takes its offsets back to the document. */
export interface SqlRegion extends SqlRegionExtras {
  /** The SQL text; TypeScript `${…}` interpolations are replaced by `$1, $2, …` placeholders. */
  sql: string;
  map: PositionMap;
  origin: RegionOrigin;
  /**
   * True when the call site says this is SQL (a .sql file, a query call, an sql tag, a marker comment):
   * a parse error is then reported as `sql-syntax`. Otherwise the text is analysed only if it parses.
   */
  explicit: boolean;
  /** The callee or tag as written, e.g. `pool.query`, `sql`, `Prisma.sql`. */
  callee?: string;
  /** Number of `$n` placeholders that came from interpolations. */
  interpolations: number;
}

export interface SqlRegionExtras {
  /**
   * Escapes text for the literal the SQL sits in (quotes in a "…" string, backticks and `${` in a
   * template), so a quick fix inserts SQL that still means the same once the host language reads it.
   */
  escapeForHost?: (text: string) => string;
}
