import { Pool, type ClientConfig, type PoolClient, type QueryConfig } from 'pg';
import { nextTurn } from '../next-turn';
import { AnswerWatch } from './answer-watch';
import { sendCancelRequest } from './cancel-request';
import { isConnectionError, SILENT_SERVER } from './connection-errors';
import { serverAnswers } from './server-socket';
import type { Database, QueryRows, Session, SessionTimeouts } from './queryable';

export interface PoolOptions {
  /** Most connections held at once. */
  max?: number;
  /** Milliseconds an unused connection stays open. */
  idleTimeoutMillis?: number;
  /** Milliseconds to wait for a connection to open. */
  connectionTimeoutMillis?: number;
  /** statement_timeout and lock_timeout every connection starts with. */
  timeouts?: SessionTimeouts;
}

/** How long a server gets to answer the probe of a connection of its own (see AnswerWatch). */
const PROBE_TIMEOUT_MS = 2_000;

export const DEFAULT_POOL_OPTIONS: Required<PoolOptions> = {
  max: 3,
  idleTimeoutMillis: 10_000,
  connectionTimeoutMillis: 5_000,
  timeouts: { statementTimeoutMs: 5_000, lockTimeoutMs: 1_000 },
};

/**
 * A PostgreSQL server behind a small `pg` pool. Every connection starts read-only
 * (`default_transaction_read_only`), so nothing pglens sends can write unless it begins with an explicit
 * `BEGIN READ WRITE`, and with statement, lock and idle-in-transaction timeouts, so nothing hangs.
 * Connections are pipelined: statements issued together go out in one round trip.
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  private readonly pool: Pool;
  /** Each lent session's backend, for cancelling its query. */
  private readonly backends = new WeakMap<Session, { processId: number; secretKey: number }>();
  private versionNum: Promise<number> | undefined;
  private readonly timeouts: SessionTimeouts;
  /**
   * Connections lent out (a session or a query), at most `max`; the rest wait here. pg-pool's own queue
   * would fail a wait longer than connectionTimeoutMillis with "timeout exceeded when trying to
   * connect", which reads as a server that does not answer: waiting for a busy pool is not connecting.
   */
  private readonly max: number;
  private lent = 0;
  private readonly waiting: (() => void)[] = [];
  /** The connections lent out, whose sockets are closed if the server goes silent. */
  private readonly lentClients = new Set<PoolClient>();
  private readonly answers = new AnswerWatch(
    () => serverAnswers(this.clientConfig, PROBE_TIMEOUT_MS),
    (silentForMs) => this.wentSilent(silentForMs),
  );

  constructor(
    private readonly clientConfig: ClientConfig,
    options: PoolOptions = {},
    /** Told about errors that mean the connection is gone, so the owner can mark the database failed. */
    private readonly onConnectionError: (error: unknown) => void = () => undefined,
  ) {
    const settings = { ...DEFAULT_POOL_OPTIONS, ...options };
    this.timeouts = settings.timeouts;
    this.max = Math.max(1, settings.max);
    const startup = [
      clientConfig.options,
      '-c default_transaction_read_only=on',
      `-c statement_timeout=${Math.round(this.timeouts.statementTimeoutMs)}`,
      `-c lock_timeout=${Math.round(this.timeouts.lockTimeoutMs)}`,
      // A transaction left open by a vanished client ends on its own.
      '-c idle_in_transaction_session_timeout=60000',
    ];
    this.pool = new Pool({
      ...clientConfig,
      options: startup.filter(Boolean).join(' '),
      max: settings.max,
      idleTimeoutMillis: settings.idleTimeoutMillis,
      connectionTimeoutMillis: clientConfig.connectionTimeoutMillis ?? settings.connectionTimeoutMillis,
      pipeline: true,
      allowExitOnIdle: true,
    });
    // An idle connection dying (server restart, network drop) must never crash the process.
    this.pool.on('error', (error) => this.onConnectionError(error));
    // Nor one dying between pg-pool handing it out and withSession listening to it (a backend killed in
    // that moment): an 'error' nobody listens to is an uncaught exception. Every client listens for life.
    this.pool.on('connect', (client) => client.on('error', (error) => this.notice(error)));
  }

  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryRows<R>> {
    return this.withSession((session) => session.query<R>(text, values));
  }

  serverVersionNum(): Promise<number> {
    this.versionNum ??= this.query<{ v: string }>("SELECT current_setting('server_version_num') AS v").then(
      (result) => Number(result.rows[0]?.v),
      (error: unknown) => {
        this.versionNum = undefined;
        throw error;
      },
    );
    return this.versionNum;
  }

  async withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const release = await this.turn();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      release();
      this.notice(error);
      throw error;
    }
    this.lentClients.add(client);
    let broken = false;
    // pg-pool only listens for errors on idle connections; one lost while lent out must not crash us.
    const onError = (error: unknown) => {
      broken = true;
      this.notice(error);
    };
    client.on('error', onError);
    // The statement timeout the server enforces now: the connection's, or one a transaction SET LOCAL.
    let statementTimeoutMs = this.timeouts.statementTimeoutMs;
    const guard = async <V>(run: () => Promise<V>): Promise<V> => {
      const answered = this.answers.sent(statementTimeoutMs);
      try {
        return await run();
      } catch (error) {
        if (isConnectionError(error)) {
          broken = true;
          this.notice(error);
        }
        throw error;
      } finally {
        answered();
      }
    };
    const session: Session = {
      pipelined: true,
      defaults: this.timeouts,
      readOnlyByDefault: true,
      query: <R>(text: string, values?: unknown[]) =>
        guard(async () => ({ rows: (await client.query(extended(text, values))).rows as R[] })),
      control: (statements) => {
        statementTimeoutMs = timeoutAfter(statements, statementTimeoutMs, this.timeouts.statementTimeoutMs);
        return guard(async () => void (await client.query(statements.join('; '))));
      },
      simple: <R>(text: string) =>
        guard(async () => {
          const result = (await client.query(text)) as unknown;
          if (Array.isArray(result)) throw new Error('expected exactly one result from one statement');
          return { rows: (result as { rows: R[] }).rows };
        }),
    };
    const { processID, secretKey } = client as unknown as { processID?: number; secretKey?: number };
    if (typeof processID === 'number' && typeof secretKey === 'number') this.backends.set(session, { processId: processID, secretKey });
    try {
      return await work(session);
    } finally {
      // The caller has its answer first; the connection goes back on the next turn (pg-pool's idle
      // timer, the next waiter), off the answer's path.
      void nextTurn().then(async () => {
        client.removeListener('error', onError);
        this.lentClients.delete(client);
        // A connection left inside a transaction (or broken) is closed rather than handed to the next
        // user; its turn passes on once it is gone, so the server never sees more than `max` of ours.
        const destroy = broken || client.getTransactionStatus() !== 'I';
        const gone = destroy ? new Promise<void>((resolve) => client.once('end', () => resolve())) : undefined;
        client.release(destroy);
        // Not unref'd: a CLI whose last query broke its connection waits for it to close (or 1 s).
        if (gone) await Promise.race([gone, new Promise<void>((resolve) => setTimeout(resolve, 1_000))]);
        release();
      });
    }
  }

  /**
   * The server went silent (see AnswerWatch): every lent connection is closed, so whatever waits on one
   * fails now instead of when TCP gives up, and the owner hears that the database is lost.
   */
  private wentSilent(silentForMs: number): void {
    const error = Object.assign(new Error(`a query got no answer for ${Math.round(silentForMs / 1000)} s, nor did a new connection`), { code: SILENT_SERVER });
    // pg has no public call that drops a connection at once (end() waits for the server): its socket.
    for (const client of this.lentClients) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    this.notice(error);
  }

  /** Waits until fewer than `max` connections are lent out; the function returned gives the turn back. */
  private async turn(): Promise<() => void> {
    if (this.lent < this.max) this.lent++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.lent--;
    };
  }

  /** Cancels the session's query with a CancelRequest: never waits behind the busy pool, never logs in. */
  async cancel(session: Session): Promise<void> {
    const backend = this.backends.get(session);
    if (backend) await sendCancelRequest({ host: this.clientConfig.host, port: this.clientConfig.port }, backend);
  }

  async end(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private notice(error: unknown): void {
    if (isConnectionError(error)) {
      this.versionNum = undefined;
      this.onConnectionError(error);
    }
  }
}

/** What statement_timeout is in force after pglens's own control statements: SET LOCAL until the transaction ends. */
function timeoutAfter(statements: readonly string[], current: number, connectionDefault: number): number {
  let timeout = current;
  for (const statement of statements) {
    const set = /^SET LOCAL statement_timeout = (\d+)$/i.exec(statement.trim());
    if (set) timeout = Number(set[1]);
    else if (/^(?:ROLLBACK|COMMIT)\b/i.test(statement.trim())) timeout = connectionDefault;
  }
  return timeout;
}

/** The extended protocol: one statement per message, so the server refuses a smuggled second one. */
function extended(text: string, values?: unknown[]): QueryConfig {
  return { text, values: values ?? [], queryMode: 'extended' } as QueryConfig;
}
