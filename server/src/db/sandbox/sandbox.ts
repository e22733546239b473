import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, type SandboxProblem } from './apply-migrations';
import { asPostgresError, type SqlExecutor } from './executor';
import { planFill } from './fill-plan';
import { generateData, type TableFill } from './generate-data';
import { discoverMigrations, type MigrationSource } from './migrations';
import { ExclusiveLock } from './exclusive-lock';
import { readRowTargets, validateRowTargets, type RowTargets } from './scale';
import { readStructure } from './structure';

/**
 * The embedded default database: PostgreSQL in WASM (PGlite), in memory, built from the workspace's own
 * migrations and filled with synthetic rows at the scale `.pglens.json` declares, so plans look like
 * production's without a server. Nothing here ever throws for a broken migration or odd schema: problems
 * are collected and returned, and the sandbox serves whatever was built.
 */
export type SandboxProgress =
  | { phase: 'starting'; message: string }
  | { phase: 'migration'; message: string; file: string; index: number; total: number; ms: number }
  | { phase: 'data'; message: string; table: string; rows: number; total: number }
  | { phase: 'analyze'; message: string }
  | { phase: 'ready'; message: string; ms: number };

export interface SandboxOptions {
  onProgress?: (event: SandboxProgress) => void;
  /** Rows per table, replacing `rows` in .pglens.json (CLI flags, tests); `{}` builds the schema only. */
  rows?: RowTargets;
}

export interface SandboxQueryResult<R> {
  rows: R[];
  fields: { name: string; dataTypeID: number }[];
  rowCount: number;
}

/** One caller's exclusive use of the sandbox's single connection, for multi-statement work (BEGIN … ROLLBACK). */
export interface SandboxClient {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>>;
  release(): void;
}

export interface SandboxTimings {
  startMs: number;
  migrationsMs: number;
  dataMs: number;
  analyzeMs: number;
  totalMs: number;
}

export interface Sandbox {
  /** e.g. `18.6`. */
  readonly serverVersion: string;
  readonly majorVersion: number;
  /** One line for status and hover: `sandbox (PGlite, PostgreSQL 18) built from 4 migrations, 855,000 synthetic rows`. */
  readonly description: string;
  readonly migrations: MigrationSource;
  /** Workspace-relative names of the migration files that applied cleanly. */
  readonly applied: string[];
  /** Everything that went wrong, each with what to do; the sandbox still serves. */
  readonly problems: SandboxProblem[];
  readonly tables: TableFill[];
  readonly syntheticRows: number;
  readonly timings: SandboxTimings;
  /** One statement, waiting its turn behind any held client. Do not call while holding a client. */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>>;
  /** Exclusive use of the connection until `release()`; like `pg.Pool#connect`. */
  connect(): Promise<SandboxClient>;
  close(): Promise<void>;
}

export class SandboxStartError extends Error {}

export async function startSandbox(root: string, options: SandboxOptions = {}): Promise<Sandbox> {
  const report = options.onProgress ?? (() => undefined);
  const began = performance.now();
  report({ phase: 'starting', message: 'Starting the embedded database (PGlite)…' });
  const db = await openPGlite();
  const startMs = performance.now() - began;
  const executor = pgliteExecutor(db);
  const problems: SandboxProblem[] = [];

  try {
    const migrations = await discoverMigrations(root);
    const migrationsBegan = performance.now();
    let index = 0;
    const outcome = await applyMigrations(executor, migrations.files, (file, ms) => {
      index++;
      report({ phase: 'migration', message: `Applied ${file.name}`, file: file.name, index, total: migrations.files.length, ms });
    });
    problems.push(...outcome.problems);
    const migrationsMs = performance.now() - migrationsBegan;

    const targets = options.rows ? validateRowTargets(options.rows) : await readRowTargets(root);
    problems.push(...targets.problems);
    const dataBegan = performance.now();
    let tables: TableFill[] = [];
    if (Object.keys(targets.rows).length > 0) {
      const plan = planFill(await readStructure(executor), targets.rows);
      problems.push(...plan.problems);
      const data = await generateData(executor, plan, (table, rows, total) => {
        report({ phase: 'data', message: `Generating ${table}: ${rows.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`, table, rows, total });
      });
      tables = data.tables;
      problems.push(...data.problems);
    }
    const dataMs = performance.now() - dataBegan;

    report({ phase: 'analyze', message: 'Collecting planner statistics (ANALYZE)…' });
    const analyzeBegan = performance.now();
    await refreshMaterializedViews(executor, problems);
    await executor.exec('ANALYZE');
    const analyzeMs = performance.now() - analyzeBegan;

    const version = String((await db.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '');
    const majorVersion = Number.parseInt(version, 10);
    const syntheticRows = tables.reduce((sum, t) => sum + t.inserted, 0);
    const applied = outcome.applied.map((f) => f.name);
    const description = describeSandbox(majorVersion, migrations, applied.length, syntheticRows);
    const totalMs = performance.now() - began;
    report({ phase: 'ready', message: `Ready: ${description}`, ms: totalMs });
    return new PGliteSandbox(db, {
      serverVersion: version,
      majorVersion,
      description,
      migrations,
      applied,
      problems,
      tables,
      syntheticRows,
      timings: { startMs, migrationsMs, dataMs, analyzeMs, totalMs },
    });
  } catch (error) {
    // Only a fault of the database itself gets here (everything else is collected as a problem).
    await db.close().catch(() => undefined);
    throw new SandboxStartError(`The embedded database failed while building the sandbox: ${asPostgresError(error).message}. Connect a development database instead.`);
  }
}

export function describeSandbox(major: number, migrations: MigrationSource, applied: number, syntheticRows: number): string {
  const engine = `sandbox (PGlite, PostgreSQL ${Number.isFinite(major) ? major : '?'})`;
  if (migrations.tool === 'none') return `${engine} with no schema: no migrations or schema.sql found`;
  const total = migrations.files.length;
  const source = migrations.tool === 'schema'
    ? migrations.location ?? 'schema.sql'
    : `${applied === total ? '' : `${applied} of `}${total} migration${total === 1 ? '' : 's'}`;
  const rows = syntheticRows > 0 ? `${syntheticRows.toLocaleString('en-US')} synthetic rows` : 'no synthetic rows';
  const failed = migrations.tool === 'schema' && applied === 0 ? ' (it failed to apply)' : '';
  return `${engine} built from ${source}${failed}, ${rows}`;
}

async function openPGlite(): Promise<PGlite> {
  try {
    return await PGlite.create();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SandboxStartError(`Could not start the embedded database (PGlite): ${message}. Reinstall the extension, or connect a development database instead.`);
  }
}

function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    query: async <R>(text: string, values?: unknown[]) => ({ rows: (await db.query<R>(text, values)).rows }),
    exec: async (text: string) => {
      await db.exec(text);
    },
  };
}

async function refreshMaterializedViews(db: SqlExecutor, problems: SandboxProblem[]): Promise<void> {
  const views = await db.query<{ name: string }>(
    "SELECT format('%I.%I', schemaname, matviewname) AS name FROM pg_matviews WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
  );
  for (const view of views.rows) {
    await db.exec(`REFRESH MATERIALIZED VIEW ${view.name}`).catch((error: unknown) => {
      problems.push({ phase: 'data', message: `Could not refresh materialized view ${view.name} (${asPostgresError(error).message}); it stays empty.` });
    });
  }
}

interface SandboxFacts {
  serverVersion: string;
  majorVersion: number;
  description: string;
  migrations: MigrationSource;
  applied: string[];
  problems: SandboxProblem[];
  tables: TableFill[];
  syntheticRows: number;
  timings: SandboxTimings;
}

class PGliteSandbox implements Sandbox {
  readonly serverVersion: string;
  readonly majorVersion: number;
  readonly description: string;
  readonly migrations: MigrationSource;
  readonly applied: string[];
  readonly problems: SandboxProblem[];
  readonly tables: TableFill[];
  readonly syntheticRows: number;
  readonly timings: SandboxTimings;
  private readonly lock = new ExclusiveLock();
  private closed = false;

  constructor(private readonly db: PGlite, facts: SandboxFacts) {
    this.serverVersion = facts.serverVersion;
    this.majorVersion = facts.majorVersion;
    this.description = facts.description;
    this.migrations = facts.migrations;
    this.applied = facts.applied;
    this.problems = facts.problems;
    this.tables = facts.tables;
    this.syntheticRows = facts.syntheticRows;
    this.timings = facts.timings;
  }

  async query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>> {
    const release = await this.lock.acquire();
    try {
      return await this.run<R>(text, values);
    } finally {
      release();
    }
  }

  async connect(): Promise<SandboxClient> {
    const release = await this.lock.acquire();
    let released = false;
    return {
      query: <R>(text: string, values?: unknown[]) => {
        if (released) return Promise.reject(new Error('This sandbox client was released; call connect() again.'));
        return this.run<R>(text, values);
      },
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const release = await this.lock.acquire();
    try {
      await this.db.close();
    } finally {
      release();
    }
  }

  private async run<R>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>> {
    if (this.closed) throw new Error('The sandbox database is closed; start it again to run queries.');
    const result = await this.db.query<R>(text, values);
    return { rows: result.rows, fields: result.fields, rowCount: result.affectedRows ?? result.rows.length };
  }
}
