import { sharedExplain } from '../analysis/shared-explain';
import { limitedExplain } from './background-explains';
import type { Explain } from '../analysis/plan-stage';
import type { PglensSettings } from '../config';
import type { ConnectionState } from '../db/connection';
import type { ExplainOptions, ExplainOutcome } from '../db/explain';
import { resolveConnectionTarget } from '../db/connection-target';
import { PlanDatabase } from '../db/plan-database';
import { discoverMigrations } from '../db/sandbox/migrations';
import type { DatabaseStatus } from '../protocol';
import type { Catalog } from '../schema/catalog';
import { databaseStatus, type StatusSource } from './database-status';
import type { Logger } from './log';

export interface DatabaseServiceOptions {
  log: Logger;
  sendStatus(status: DatabaseStatus): void;
  /** Shown once per distinct problem while it lasts: a wrong password is not repeated per document. */
  showError(message: string): void;
  /** The database was replaced or a server's catalog arrived (rules read it): re-analyse what is open. */
  reanalyze(): void;
  /** The database became usable (or came back): plan what is open again; the static findings stand. */
  replan(): void;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface DatabaseConfig {
  settings: PglensSettings;
  /** The URL the client passed in initializationOptions, or later with `pglens.server.setDatabaseUrl`. */
  clientUrl?: string;
  /** Workspace folders: the first one's .env; the first with migrations builds the sandbox. */
  roots: readonly string[];
}

const NOT_CONNECTED: Explain = () => Promise.resolve({ ok: false, reason: 'connection', message: 'No database is connected.' });

/**
 * PostgreSQL checks statement_timeout only where it checks for interrupts, and some planning does not
 * for a long time (600 nested CTEs: over a minute past a 1 s timeout). pglens stops waiting for an
 * EXPLAIN at twice the timeout and a second, so a hover or `pglens/plan` is always answered.
 */
const deadlineOf = (statementTimeoutMs: number) => 2 * statementTimeoutMs + 1_000;

function lateOutcome(timeoutMs: number): ExplainOutcome {
  return {
    ok: false,
    reason: 'timeout',
    message: `PostgreSQL did not finish the EXPLAIN within ${deadlineOf(timeoutMs) / 1000} s although its statement timeout is ${timeoutMs / 1000} s (planning this query is not interrupted, or the database stopped answering); pglens stopped waiting. Simplify the query to see its plan.`,
  };
}

/** How long replacing a database waits for the old one to close before letting it close in the background. */
const CLOSE_WAIT_MS = 2_000;

/**
 * The language server's database: which one (setting → the client's URL → .env → PG* variables and
 * ~/.pgpass → the embedded sandbox), connected lazily on first use, its state sent as `pglens/status`
 * on every change. A database that fails is a status, and one message; when it is (back) up, open
 * documents are re-analysed so their plan findings return by themselves.
 */
export class DatabaseService {
  private database: PlanDatabase | undefined;
  private source: StatusSource = { kind: 'none', why: 'pglens has not read its settings yet.' };
  private key = '';
  private shown = '';
  private everAvailable = false;
  private wanted = false;
  private stopListening: (() => void) | undefined;
  private configuring: Promise<void> = Promise.resolve();

  /** EXPLAIN on the current database; identical requests in flight (hover and diagnostics) share one. */
  readonly explain: Explain = sharedExplain(
    (sql, options) => (this.database ?? { explain: NOT_CONNECTED }).explain(sql, options),
    (options) => {
      const timeoutMs = options.statementTimeoutMs ?? this.statementTimeoutMs;
      return { ms: deadlineOf(timeoutMs), outcome: lateOutcome(timeoutMs) };
    },
  );

  /** The plan already cached on the current database, without waiting. */
  readonly cached = (sql: string, options: ExplainOptions): ExplainOutcome | undefined => this.database?.cached(sql, options);

  /** The same for the diagnostics pass, leaving a connection free for hovers and commands. */
  readonly explainInBackground: Explain = limitedExplain(this.explain, () =>
    this.database?.kind === 'server' ? this.maxConnections - 1 : 1,
  );

  private maxConnections = 1;
  private statementTimeoutMs = 5_000;

  constructor(private readonly options: DatabaseServiceOptions) {}

  /** The database when it can plan (connected, or the sandbox is built). */
  get available(): PlanDatabase | undefined {
    const status = this.database?.state.status;
    return status === 'connected' || status === 'embedded' ? this.database : undefined;
  }

  /** The configured database, whatever its state. */
  get current(): PlanDatabase | undefined {
    return this.database;
  }

  get status(): DatabaseStatus {
    return databaseStatus(this.source, this.database?.state ?? { status: 'disconnected' });
  }

  /** A server's catalog for the static rules once read (the sandbox's adds nothing to the DDL). */
  get rulesCatalog(): Catalog | undefined {
    return this.available?.kind === 'server' ? this.available.loadedCatalog : undefined;
  }

  /**
   * Applies the settings: re-resolves the database and, when it is another one (or `reconnect`),
   * drops the old connection. Connecting waits for `ensure()` unless `reconnect` asks for it now.
   */
  configure(config: DatabaseConfig, reconnect = false): Promise<void> {
    this.configuring = this.configuring.then(() => this.apply(config, reconnect)).catch((error: unknown) => {
      this.options.log.error('pglens: configuring the database failed', error);
    });
    return this.configuring;
  }

  /** A query wants a plan: start connecting if nothing has been tried yet. */
  ensure(): void {
    this.wanted = true; // a database configured later connects at once
    if (this.database?.state.status === 'disconnected') void this.database.connect();
  }

  async dispose(): Promise<void> {
    await this.configuring;
    await this.replace(undefined);
  }

  private async apply(config: DatabaseConfig, reconnect: boolean): Promise<void> {
    const { settings } = config;
    this.maxConnections = settings.database.maxConnections;
    this.statementTimeoutMs = settings.explain.statementTimeoutMs;
    const resolution = await resolveConnectionTarget({
      setting: settings.databaseUrl,
      initializationOption: config.clientUrl,
      workspaceRoot: config.roots[0],
      env: this.options.env ?? process.env,
    });
    const pool = { maxConnections: settings.database.maxConnections, statementTimeoutMs: settings.explain.statementTimeoutMs };
    let key: string;
    let create: (() => PlanDatabase) | undefined;
    let source: StatusSource;
    if (resolution.kind === 'target') {
      const { target } = resolution;
      for (const note of target.notes) this.options.log.info(`pglens: ${note}`);
      key = JSON.stringify(['server', target.clientConfig, pool]);
      source = { kind: 'server', database: target.database, host: target.host, origin: target.origin, description: target.description };
      create = () => new PlanDatabase({ kind: 'server', target }, { ...pool, log: (line) => this.options.log.info(`pglens: ${line}`) });
    } else if (resolution.kind === 'invalid') {
      key = JSON.stringify(['invalid', resolution.message]);
      source = { kind: 'invalid', message: resolution.message };
    } else {
      const root = settings.database.embedded ? await this.sandboxRoot(config.roots) : undefined;
      if (root !== undefined) {
        key = JSON.stringify(['sandbox', root, pool]);
        const sandboxSource: StatusSource = { kind: 'sandbox' };
        source = sandboxSource;
        create = () =>
          new PlanDatabase(
            {
              kind: 'sandbox',
              root,
              onProgress: (event) => {
                sandboxSource.progress = event.message;
                if (this.source === sandboxSource) this.options.sendStatus(this.status);
              },
            },
            { ...pool, log: (line) => this.options.log.info(`pglens: ${line}`) },
          );
      } else {
        key = JSON.stringify(['none', settings.database.embedded]);
        source = { kind: 'none', why: noDatabase(settings.database.embedded) };
      }
    }
    if (key === this.key && !reconnect) return;
    this.key = key;
    this.source = source;
    this.shown = '';
    this.everAvailable = false;
    await this.replace(create?.());
    // A database not yet tried reports itself when it starts connecting (on first use).
    if (!create || reconnect) this.options.sendStatus(this.status);
    if (source.kind === 'invalid') this.showOnce(source.message);
    if (reconnect || this.wanted) this.ensure();
  }

  private async replace(next: PlanDatabase | undefined): Promise<void> {
    const previous = this.database;
    this.stopListening?.();
    this.stopListening = undefined;
    this.database = next;
    if (next) this.stopListening = next.connection.onStateChange((state) => this.changed(next, state));
    if (previous) {
      // A pool closes once its queries end, and PostgreSQL can take a minute to stop one (see
      // deadlineOf): wait a moment, then let it close in the background rather than hold up the switch.
      const closed = previous.dispose().catch((error: unknown) => this.options.log.error('pglens: closing the previous database failed', error));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
      this.options.reanalyze(); // plan diagnostics computed on it are stale now
    }
  }

  private changed(database: PlanDatabase, state: ConnectionState): void {
    if (database !== this.database) return;
    if (state.status === 'embedded') {
      // The status names what the sandbox was built from; wait the moment it takes to say so.
      void database.builtSandbox().then((sandbox) => {
        if (this.source.kind === 'sandbox' && sandbox) {
          this.source.description = sandbox.description;
          this.source.problems = sandbox.problems.length;
          for (const problem of sandbox.problems) this.options.log.info(`pglens: sandbox: ${problem.file ? `${problem.file}: ` : ''}${problem.message}`);
        }
        this.options.sendStatus(this.status);
      });
    } else {
      this.options.sendStatus(this.status);
    }
    if (state.status === 'failed' && !this.everAvailable) this.showOnce(state.reason);
    if (state.status === 'connected' || state.status === 'embedded') {
      this.everAvailable = true;
      this.shown = '';
      // Read the catalog first, so the plans already have the row estimates. A server's catalog also
      // changes what the static rules know (real keys); the sandbox's is the workspace's DDL again.
      void database.catalog().then((catalog) => {
        if (database !== this.database) return;
        if (database.kind === 'server' && catalog) this.options.reanalyze();
        else this.options.replan();
      });
    }
  }

  private showOnce(reason: string): void {
    if (reason === this.shown) return;
    this.shown = reason;
    this.options.showError(`pglens cannot use the database: ${reason} Static checks go on; plans appear once it connects.`);
  }

  private async sandboxRoot(roots: readonly string[]): Promise<string | undefined> {
    for (const root of roots) {
      const found = await discoverMigrations(root).catch(() => undefined);
      if (found && found.tool !== 'none') return root;
    }
    return undefined;
  }
}

function noDatabase(embedded: boolean): string {
  const connect = 'run "pglens: Connect to Database…" or set DATABASE_URL in the workspace\'s .env';
  return embedded
    ? `No database is configured and the workspace has no migrations or schema.sql to build a sandbox from, so there are no plans; ${connect}.`
    : `No database is configured (the embedded sandbox is off: pglens.database.embedded), so there are no plans; ${connect}.`;
}
