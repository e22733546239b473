import { describeConnectionError, isConnectionError } from './connection-errors';
import type { ConnectionTarget } from './connection-target';
import { PostgresDatabase, type PoolOptions } from './postgres-database';
import { databaseFromQueryable, type Database, type Queryable } from './queryable';
import { redact } from './redact';
import { SandboxStartError } from './sandbox/sandbox-types';

/**
 * The database pglens talks to, as a status: it connects, reports what it is connected to, and when
 * the server goes away it says why and reconnects with backoff. A dead database is a status, never an
 * exception.
 */
export type ConnectionState =
  | { status: 'disconnected' }
  | { status: 'connecting'; target: string; attempt: number }
  | {
      status: 'connected';
      target: string;
      /** `database@host`, for a status bar. */
      label: string;
      database: string;
      host: string;
      serverVersion: string;
      serverVersionNum: number;
    }
  | {
      status: 'failed';
      target: string;
      /** One line: what is wrong and what to do. Never holds a password. */
      reason: string;
      attempt: number;
      /** When the next attempt starts; absent once the connection is disposed. */
      retryInMs?: number;
    }
  | { status: 'embedded'; label: string; serverVersion: string; serverVersionNum: number };

export interface ConnectionOptions {
  pool?: PoolOptions;
  /** Reconnect delays: the first, then doubling up to the cap. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How often a connected server is checked while idle, so the status stays true; 0 turns it off. */
  heartbeatMs?: number;
  /** Where state changes are logged, already redacted. */
  log?: (line: string) => void;
}

const DEFAULT_RETRY = { initialDelayMs: 1_000, maxDelayMs: 30_000 };
const DEFAULT_HEARTBEAT_MS = 30_000;

interface Backend {
  /** Human description of what we connect to, no password. */
  target: string;
  open(onLost: (error: unknown) => void): Promise<Database>;
  probe(database: Database): Promise<ConnectionState>;
  describe(error: unknown): string;
  close(database: Database): Promise<void>;
}

type Listener = (state: ConnectionState) => void;

export class DatabaseConnection {
  private current: ConnectionState = { status: 'disconnected' };
  private readonly listeners = new Set<Listener>();
  private db: Database | undefined;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private probing: Promise<ConnectionState> | undefined;
  private disposed = false;

  private constructor(
    private readonly backend: Backend,
    private readonly options: ConnectionOptions,
  ) {}

  /** A PostgreSQL server reached through `pg`. */
  static postgres(target: ConnectionTarget, options: ConnectionOptions = {}): DatabaseConnection {
    const secrets = [target.clientConfig.password as string | undefined];
    return new DatabaseConnection(
      {
        target: target.description,
        open: async (onLost) => new PostgresDatabase(target.clientConfig, options.pool, onLost),
        probe: async (database) => {
          const { rows } = await database.query<{ database: string; version: string; num: string }>(
            "SELECT current_database() AS database, current_setting('server_version') AS version, current_setting('server_version_num') AS num",
          );
          const row = rows[0];
          return {
            status: 'connected',
            target: target.description,
            label: `${row.database}@${target.host}`,
            database: row.database,
            host: target.host,
            serverVersion: row.version.split(' ')[0],
            serverVersionNum: Number(row.num),
          };
        },
        describe: (error) => describeConnectionError(error, target, secrets),
        close: (database) => (database as PostgresDatabase).end(),
      },
      options,
    );
  }

  /**
   * The embedded database (the PGlite sandbox): `open` starts it, once; a failed start is retried with
   * the same backoff as a server.
   */
  static embedded(open: () => Promise<Queryable>, options: ConnectionOptions = {}): DatabaseConnection {
    let database: Promise<Database> | undefined;
    return new DatabaseConnection(
      {
        target: 'embedded database',
        open: () => {
          database ??= open().then((queryable) => databaseFromQueryable(queryable, 'embedded'));
          database.catch(() => (database = undefined)); // let the next attempt start it afresh
          return database;
        },
        probe: async (db) => {
          const { rows } = await db.query<{ version: string; num: string }>(
            "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
          );
          const version = rows[0].version.split(' ')[0];
          return { status: 'embedded', label: `embedded PostgreSQL ${version}`, serverVersion: version, serverVersionNum: Number(rows[0].num) };
        },
        // A SandboxStartError is already a sentence for the user (what failed, what to do); others get one.
        describe: (error) => {
          const message = redact(error instanceof Error ? error.message : String(error));
          return error instanceof SandboxStartError ? message : `The embedded database could not start: ${message.replace(/[.\s]+$/, '')}.`;
        },
        close: async () => undefined,
      },
      { heartbeatMs: 0, ...options },
    );
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The database to run queries on while connected (or embedded); undefined otherwise. */
  get database(): Database | undefined {
    return this.current.status === 'connected' || this.current.status === 'embedded' ? this.db : undefined;
  }

  /** Calls `listener` on every state change; returns a function that stops it. */
  onStateChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects (once); resolves with the state after the first attempt, connected or failed. */
  connect(): Promise<ConnectionState> {
    if (this.current.status === 'connected' || this.current.status === 'embedded') return Promise.resolve(this.current);
    return this.attemptNow();
  }

  /** Tries again at once (a "reconnect" command), instead of waiting for the backoff. */
  reconnectNow(): Promise<ConnectionState> {
    return this.attemptNow();
  }

  /**
   * Tell the connection that a query failed; when the error means the server is gone, the state
   * becomes `failed` and reconnecting starts. Returns true in that case.
   */
  reportError(error: unknown): boolean {
    if (!isConnectionError(error)) return false;
    this.lost(error);
    return true;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearTimers();
    const db = this.db;
    this.db = undefined;
    if (db) await this.backend.close(db);
    this.setState({ status: 'disconnected' });
    this.listeners.clear();
  }

  private attemptNow(): Promise<ConnectionState> {
    if (this.disposed) return Promise.resolve(this.current);
    if (this.probing) return this.probing;
    this.clearTimers();
    this.attempt += 1;
    this.setState({ status: 'connecting', target: this.backend.target, attempt: this.attempt });
    this.probing = this.openDatabase()
      .then((db) => this.backend.probe(db))
      .then(
        (state) => {
          this.attempt = 0;
          this.setState(state);
          this.startHeartbeat();
          return state;
        },
        (error: unknown) => this.fail(error),
      )
      .finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async openDatabase(): Promise<Database> {
    this.db ??= await this.backend.open((error) => this.lost(error));
    return this.db;
  }

  private lost(error: unknown): void {
    if (this.disposed || this.current.status !== 'connected') return;
    this.fail(error);
  }

  private fail(error: unknown): ConnectionState {
    if (this.disposed) return this.current;
    this.clearTimers();
    const retry = { ...DEFAULT_RETRY, ...this.options.retry };
    const delay = Math.min(retry.initialDelayMs * 2 ** Math.max(0, this.attempt - 1), retry.maxDelayMs);
    const state: ConnectionState = {
      status: 'failed',
      target: this.backend.target,
      reason: this.backend.describe(error),
      attempt: Math.max(1, this.attempt),
      retryInMs: delay,
    };
    this.setState(state);
    this.retryTimer = setTimeout(() => void this.attemptNow(), delay);
    this.retryTimer.unref();
    return state;
  }

  private startHeartbeat(): void {
    const every = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    if (every <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      // A lost connection reports itself through the pool; other errors are not the heartbeat's business.
      this.db?.query('SELECT 1').catch((error: unknown) => this.reportError(error));
    }, every);
    this.heartbeatTimer.unref();
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.retryTimer = this.heartbeatTimer = undefined;
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.options.log?.(describeState(state));
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch {
        // A listener's bug must not stop the others or the connection.
      }
    }
  }
}

/** One line for logs and status bars. */
export function describeState(state: ConnectionState): string {
  switch (state.status) {
    case 'disconnected':
      return 'Not connected to a database.';
    case 'connecting':
      return `Connecting to ${state.target}${state.attempt > 1 ? ` (attempt ${state.attempt})` : ''}…`;
    case 'connected':
      return `Connected to ${state.label} (PostgreSQL ${state.serverVersion}).`;
    case 'failed':
      if (state.retryInMs === undefined) return state.reason;
      return `${state.reason} Retrying in ${state.retryInMs < 1000 ? 'a moment' : `${Math.round(state.retryInMs / 1000)} s`}.`;
    case 'embedded':
      return `Using the ${state.label}.`;
  }
}
