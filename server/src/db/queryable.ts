/**
 * The smallest surface pglens needs from a database, so a `pg` pool and the embedded PGlite database
 * (whose `query(sql, params)` has this shape) can stand in for each other.
 */
export interface QueryRows<R> {
  rows: R[];
}

/** Runs exactly one statement with optional `$n` parameter values. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryRows<R>>;
}

/** A Queryable that may also run several of pglens's own statements in one call (PGlite's `exec`). */
interface Executable extends Queryable {
  exec(text: string): Promise<unknown>;
}

/** One connection held for a unit of work: a transaction must run on a single connection. */
export interface Session {
  /** One statement, sent so that the server itself refuses a second one (extended protocol). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryRows<R>>;
  /** pglens's own control statements (BEGIN, SET LOCAL, ROLLBACK…) — never user text. */
  control(statements: readonly string[]): Promise<void>;
  /**
   * One statement over the simple protocol, for what the extended protocol cannot carry (EXPLAIN
   * (GENERIC_PLAN) of a statement with `$n`: Bind would need values). The caller must have checked it
   * is exactly one statement. Absent where the connection has no simple protocol.
   */
  simple?<R = Record<string, unknown>>(text: string): Promise<QueryRows<R>>;
  /** True when calls issued without awaiting are sent together (pipelined) and run in order. */
  readonly pipelined: boolean;
  /** Timeouts the connection already runs with, so a transaction need not SET them again. */
  readonly defaults?: SessionTimeouts;
  /** True when every transaction on this connection is read-only unless begun READ WRITE. */
  readonly readOnlyByDefault?: boolean;
}

export interface SessionTimeouts {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

export type DatabaseKind = 'postgres' | 'embedded';

/** A database pglens may plan queries on. */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** `server_version_num`, e.g. 150020; read once. */
  serverVersionNum(): Promise<number>;
  /** Lends one connection to `work` and takes it back afterwards, whatever happens. */
  withSession<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** Cancels the statement `session` is running, from another connection; a no-op where impossible. */
  cancel(session: Session): Promise<void>;
}

/** A Queryable that lends exclusive use of its connection (the sandbox's `connect()`, like pg's Pool). */
export interface LendingQueryable extends Queryable {
  connect(): Promise<Queryable & { release(): void }>;
}

/**
 * A Database over a Queryable (the embedded PGlite sandbox, one pg Client). A session takes the
 * connection exclusively — through `connect()` when the Queryable lends it, else by taking turns — since
 * two interleaved transactions on one connection would be one transaction.
 */
export function databaseFromQueryable(queryable: Queryable, kind: DatabaseKind = 'embedded'): Database {
  let queue: Promise<unknown> = Promise.resolve();
  let versionNum: Promise<number> | undefined;
  const sessionOver = (q: Queryable): Session => {
    const session: Session = {
      query: (text, values) => q.query(text, values),
      control: async (statements) => {
        if (isExecutable(q)) {
          await q.exec(statements.join(';\n'));
          return;
        }
        for (const statement of statements) await q.query(statement);
      },
      pipelined: false,
    };
    if (isExecutable(q)) {
      session.simple = async <R>(text: string) => {
        const results = (await q.exec(text)) as QueryRows<R>[];
        if (!Array.isArray(results) || results.length !== 1) throw new Error('expected exactly one result from one statement');
        return results[0];
      };
    }
    return session;
  };
  return {
    kind,
    query: (text, values) => queryable.query(text, values),
    serverVersionNum() {
      versionNum ??= queryable
        .query<{ v: string }>("SELECT current_setting('server_version_num') AS v")
        .then((result) => Number(result.rows[0]?.v));
      versionNum.catch(() => (versionNum = undefined));
      return versionNum;
    },
    async withSession<T>(work: (s: Session) => Promise<T>): Promise<T> {
      if (isLending(queryable)) {
        const client = await queryable.connect();
        try {
          return await work(sessionOver(client));
        } finally {
          client.release();
        }
      }
      const turn = queue.then(() => work(sessionOver(queryable)));
      queue = turn.catch(() => undefined);
      return turn;
    },
    cancel: async () => undefined,
  };
}

function isExecutable(queryable: Queryable): queryable is Executable {
  return typeof (queryable as Partial<Executable>).exec === 'function';
}

function isLending(queryable: Queryable): queryable is LendingQueryable {
  return typeof (queryable as Partial<LendingQueryable>).connect === 'function';
}
