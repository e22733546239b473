/**
 * What the sandbox needs from a database: one-statement queries with parameters, and multi-statement
 * scripts. PGlite and a `pg` client both fit, so the benchmark can build the same schema and data on a
 * real PostgreSQL for comparison.
 */
export interface QueryResult<R> {
  rows: R[];
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of one or more statements without parameters. */
  exec(text: string): Promise<void>;
}

/** The fields of a PostgreSQL error both PGlite and `pg` carry. */
export interface PostgresError {
  message: string;
  code?: string;
  /** 1-based character position in the statement text, as a string on the wire. */
  position?: string | number;
  detail?: string;
  hint?: string;
}

export function asPostgresError(error: unknown): PostgresError {
  if (error instanceof Error) {
    const fields = error as Error & Partial<PostgresError>;
    return { message: error.message, code: fields.code, position: fields.position, detail: fields.detail, hint: fields.hint };
  }
  return { message: String(error) };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
