import { DatabaseCatalog } from './catalog';
import { DatabaseConnection, describeState, type ConnectionState } from './connection';
import type { ConnectionTarget } from './connection-target';
import { ExplainRunner, type ExplainOptions, type ExplainOutcome } from './explain';
import type { Database } from './queryable';
import { startSandbox, type Sandbox, type SandboxProgress } from './sandbox/sandbox';
import type { RowTargets } from './sandbox/scale';

/**
 * The database plans come from, whichever it is: a PostgreSQL server, or the embedded sandbox built
 * from the workspace's migrations. One object for the language server and the CLI: the connection
 * (its state is the status users see), the EXPLAIN runner with its plan cache, the database's catalog.
 */
export type PlanDatabaseSource =
  | { kind: 'server'; target: ConnectionTarget }
  | { kind: 'sandbox'; root: string; rows?: RowTargets; onProgress?: (event: SandboxProgress) => void };

export interface PlanDatabaseOptions {
  /** Connections to a server at most. */
  maxConnections: number;
  /** statement_timeout every connection starts with (EXPLAIN asks for the same, so it sends no SET). */
  statementTimeoutMs: number;
  /** Connection state changes, one line each, never with a password. */
  log?: (line: string) => void;
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How often an idle server connection is checked, so a dead server shows in the status. */
  heartbeatMs?: number;
}

export class PlanDatabase {
  readonly connection: DatabaseConnection;
  private sandbox: Promise<Sandbox> | undefined;
  private current: { db: Database; runner: ExplainRunner; catalog?: Promise<DatabaseCatalog | undefined>; loaded?: DatabaseCatalog } | undefined;

  constructor(
    readonly source: PlanDatabaseSource,
    options: PlanDatabaseOptions,
  ) {
    const connectionOptions = { log: options.log, retry: options.retry, heartbeatMs: options.heartbeatMs };
    if (source.kind === 'server') {
      this.connection = DatabaseConnection.postgres(source.target, {
        ...connectionOptions,
        pool: { max: options.maxConnections, timeouts: { statementTimeoutMs: options.statementTimeoutMs, lockTimeoutMs: 1_000 } },
      });
    } else {
      this.connection = DatabaseConnection.embedded(() => {
        this.sandbox ??= startSandbox(source.root, { rows: source.rows, onProgress: source.onProgress });
        this.sandbox.catch(() => (this.sandbox = undefined)); // the next attempt builds it afresh
        return this.sandbox;
      }, connectionOptions);
    }
  }

  get kind(): 'server' | 'sandbox' {
    return this.source.kind;
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  /** Connects (the first time, or at once after a failure); resolves with the state it reached. */
  connect(): Promise<ConnectionState> {
    return this.connection.connect();
  }

  /** The built sandbox, once it is ready. */
  async builtSandbox(): Promise<Sandbox | undefined> {
    return this.connection.database && this.sandbox ? this.sandbox : undefined;
  }

  /**
   * Where plans come from, for the plan view and the CLI: `shop@localhost, PostgreSQL 15.4`, or the
   * sandbox's own description. Undefined while there is no database.
   */
  async describe(): Promise<string | undefined> {
    const state = this.connection.state;
    if (state.status === 'connected') return `${state.label}, PostgreSQL ${state.serverVersion}`;
    if (state.status === 'embedded') return (await this.builtSandbox())?.description ?? state.label;
    return undefined;
  }

  /** EXPLAIN through the safe runner; a database that is not there is a `connection` failure. */
  readonly explain = (sql: string, options: ExplainOptions = {}): Promise<ExplainOutcome> => {
    const db = this.connection.database;
    if (!db) {
      return Promise.resolve({ ok: false, reason: 'connection', message: `There is no database to plan on: ${describeState(this.connection.state)}` });
    }
    return this.forDatabase(db).runner.explain(sql, options);
  };

  /** The cached plan for `sql`, without waiting (see ExplainRunner.cached); undefined when not cached. */
  readonly cached = (sql: string, options: ExplainOptions = {}): ExplainOutcome | undefined => {
    const db = this.connection.database;
    return db ? this.forDatabase(db).runner.cached(sql, options) : undefined;
  };

  /**
   * The database's catalog (tables, keys, indexes, row estimates), read once per connection and again
   * when the schema changed; undefined while there is no database or it cannot be read.
   */
  async catalog(): Promise<DatabaseCatalog | undefined> {
    const db = this.connection.database;
    if (!db) return undefined;
    const entry = this.forDatabase(db);
    if (entry.loaded) {
      await entry.loaded.refreshIfChanged().catch((error: unknown) => this.connection.reportError(error));
      return entry.loaded;
    }
    entry.catalog ??= DatabaseCatalog.load(db).then(
      (catalog) => (entry.loaded = catalog),
      (error: unknown) => {
        this.connection.reportError(error);
        entry.catalog = undefined; // try again next time
        return undefined;
      },
    );
    return entry.catalog;
  }

  /** The catalog as last read, without waiting for the database. */
  get loadedCatalog(): DatabaseCatalog | undefined {
    return this.connection.database && this.current?.db === this.connection.database ? this.current.loaded : undefined;
  }

  async dispose(): Promise<void> {
    await this.connection.dispose();
    const sandbox = this.sandbox;
    this.sandbox = undefined;
    if (sandbox) await sandbox.then((built) => built.close()).catch(() => undefined);
  }

  private forDatabase(db: Database): NonNullable<PlanDatabase['current']> {
    if (this.current?.db !== db) this.current = { db, runner: new ExplainRunner(db) };
    return this.current;
  }
}
