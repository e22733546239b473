import type { PGlite as PGliteInstance } from '@electric-sql/pglite';
import { applyMigrations, type SandboxProblem } from './apply-migrations';
import { describeSandbox } from './describe';
import { asPostgresError, type SqlExecutor } from './executor';
import { planFill } from './fill-plan';
import { generateData, type TableFill } from './generate-data';
import { LockedSandbox } from './locked-sandbox';
import { packedPgliteOptions } from './packed-assets';
import { discoverMigrations } from './migrations';
import { readRowTargets, validateRowTargets } from './scale';
import { SandboxStartError, type Sandbox, type SandboxFacts, type SandboxOptions, type SandboxQueryResult } from './sandbox-types';
import { readStructure } from './structure';

// Loaded with require() so a CommonJS bundle takes PGlite's CommonJS build, which finds its .wasm and
// .data files next to the bundle (`__filename`); its ESM build needs import.meta.url, empty in a bundle.
const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
type PGlite = PGliteInstance;

/**
 * Builds the sandbox with PGlite in the calling thread: start PostgreSQL in memory, apply the
 * workspace's migrations, generate synthetic data at the declared scale, ANALYZE. Only a PGlite that
 * cannot start rejects (SandboxStartError); a broken migration, an odd schema or a failed phase becomes
 * a problem in the result, and the sandbox serves whatever was built.
 */
export async function startSandboxInThread(root: string, options: SandboxOptions = {}): Promise<Sandbox> {
  const report = options.onProgress ?? (() => undefined);
  const began = performance.now();
  report({ phase: 'starting', message: 'Starting the embedded database (PGlite)…' });
  const db = await openPGlite();
  try {
    return await build(db, root, options, began);
  } catch (error) {
    // Phases catch their own failures; only a fault of the database itself gets here.
    await db.close().catch(() => undefined);
    throw new SandboxStartError(`The embedded database failed while building the sandbox: ${asPostgresError(error).message}. Connect a development database instead.`);
  }
}

async function build(db: PGlite, root: string, options: SandboxOptions, began: number): Promise<Sandbox> {
  const report = options.onProgress ?? (() => undefined);
  const startMs = performance.now() - began;
  const executor = pgliteExecutor(db);
  const problems: SandboxProblem[] = [];

  /** Runs one phase; a failure becomes a problem and the build goes on with what it has. */
  const safely = async <T>(phase: SandboxProblem['phase'], what: string, fallback: T, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      problems.push({ phase, message: `Could not ${what}: ${asPostgresError(error).message}. The sandbox serves without it.` });
      return fallback;
    }
  };

  const migrations = await discoverMigrations(root);
  const migrationsBegan = performance.now();
  let index = 0;
  const outcome = await safely('migration', 'apply the migrations', { applied: [], problems: [] }, () =>
    applyMigrations(executor, migrations.files, (file, ms) => {
      index++;
      report({ phase: 'migration', message: `Applied ${file.name}`, file: file.name, index, total: migrations.files.length, ms });
    }),
  );
  problems.push(...outcome.problems);
  const migrationsMs = performance.now() - migrationsBegan;

  const targets = options.rows ? validateRowTargets(options.rows) : await readRowTargets(root);
  problems.push(...targets.problems);
  const dataBegan = performance.now();
  const tables: TableFill[] = Object.keys(targets.rows).length === 0 ? [] : await safely('data', 'generate synthetic data', [], async () => {
    const plan = planFill(await readStructure(executor), targets.rows);
    problems.push(...plan.problems);
    const data = await generateData(executor, plan, (table, rows, total) => {
      report({ phase: 'data', message: `Generating ${table}: ${rows.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`, table, rows, total });
    });
    problems.push(...data.problems);
    return data.tables;
  });
  const dataMs = performance.now() - dataBegan;

  report({ phase: 'analyze', message: 'Collecting planner statistics (ANALYZE)…' });
  const analyzeBegan = performance.now();
  await safely('data', 'refresh materialized views', undefined, () => refreshMaterializedViews(executor, problems));
  await safely('data', 'collect planner statistics (ANALYZE)', undefined, () => executor.exec('ANALYZE'));
  const analyzeMs = performance.now() - analyzeBegan;

  const version = await safely('data', 'read the server version', '', async () =>
    String((await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? ''),
  );
  const majorVersion = Number.parseInt(version, 10);
  const syntheticRows = tables.reduce((sum, t) => sum + t.inserted, 0);
  const applied = outcome.applied.map((f) => f.name);
  const description = describeSandbox(majorVersion, migrations, applied.length, syntheticRows);
  const totalMs = performance.now() - began;
  report({ phase: 'ready', message: `Ready: ${description}`, ms: totalMs });
  return new ThreadSandbox(db, {
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
}

async function openPGlite(): Promise<PGlite> {
  try {
    // The .vsix's compressed copies of PGlite's files, beside this bundle, when there are some.
    return await PGlite.create((await packedPgliteOptions(__dirname)) ?? {});
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

class ThreadSandbox extends LockedSandbox {
  constructor(private readonly db: PGlite, facts: SandboxFacts) {
    super(facts);
  }

  protected async run<R>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>> {
    const result = await this.db.query<R>(text, values);
    return { rows: result.rows, fields: result.fields, rowCount: result.affectedRows ?? result.rows.length };
  }

  protected shutdown(): Promise<void> {
    return this.db.close();
  }
}
