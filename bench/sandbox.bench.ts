/**
 * The embedded sandbox (PGlite) against a real PostgreSQL 15, same run, same work: apply the example
 * shop's migrations, generate its synthetic data at the scale its .pglens.json declares (855,000 rows),
 * ANALYZE, then time EXPLAIN of a typical query. The PostgreSQL side uses a scratch database that is
 * dropped afterwards. Run: `npm run bench -- sandbox` (or `node dist/sandbox.bench.js [workspace]`).
 * Connection: PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER (postgres).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '../server/src/db/sandbox/apply-migrations';
import type { SqlExecutor } from '../server/src/db/sandbox/executor';
import { planFill } from '../server/src/db/sandbox/fill-plan';
import { generateData } from '../server/src/db/sandbox/generate-data';
import { discoverMigrations } from '../server/src/db/sandbox/migrations';
import { startSandbox } from '../server/src/db/sandbox/sandbox';
import { readRowTargets } from '../server/src/db/sandbox/scale';
import { readStructure } from '../server/src/db/sandbox/structure';
import { median, printTable } from './lib/stats';

const WORKSPACE = process.argv[2] ?? join(__dirname, '..', 'examples', 'shop');
const EXPLAIN = 'EXPLAIN (FORMAT JSON) SELECT id, status, total_cents FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 20';
const EXPLAIN_RUNS = 50;

interface Measures {
  startMs: number;
  migrationsMs: number;
  dataMs: number;
  analyzeMs: number;
  totalMs: number;
  explainMs: number;
  residentMb: number | undefined;
  rows: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function explainMedian(run: (value: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < EXPLAIN_RUNS; i++) {
    const started = performance.now();
    await run(1 + ((i * 7919) % 50_000));
    samples.push(performance.now() - started);
  }
  return median(samples.slice(5));
}

async function measurePGlite(): Promise<Measures> {
  const before = process.memoryUsage().rss;
  const sandbox = await startSandbox(WORKSPACE);
  try {
    if (sandbox.problems.length > 0) console.log('PGlite problems:', sandbox.problems.map((p) => p.message));
    const explainMs = await explainMedian((value) => sandbox.query(EXPLAIN, [value]));
    return {
      ...sandbox.timings,
      explainMs,
      residentMb: mb(process.memoryUsage().rss - before),
      rows: sandbox.syntheticRows,
    };
  } finally {
    await sandbox.close();
  }
}

function pgExecutor(client: Client): SqlExecutor {
  return {
    query: async <R>(text: string, values?: unknown[]) => ({ rows: (await client.query(text, values)).rows as R[] }),
    exec: async (text: string) => {
      await client.query(text);
    },
  };
}

/** The backend's resident memory, read from /proc (same machine); undefined where that is not possible. */
async function backendResidentMb(client: Client): Promise<number | undefined> {
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function measurePostgres(): Promise<Measures & { version: string }> {
  const connection = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres' };
  const scratch = `pglens_bench_sandbox_${process.pid}`;
  const admin = new Client({ ...connection, database: 'postgres' });
  await admin.connect();
  const began = performance.now();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const client = new Client({ ...connection, database: scratch });
  try {
    await client.connect();
    const startMs = performance.now() - began;
    const db = pgExecutor(client);
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v.split(' ')[0];

    const migrationsBegan = performance.now();
    const migrations = await discoverMigrations(WORKSPACE);
    const applied = await applyMigrations(db, migrations.files);
    if (applied.problems.length > 0) console.log('PostgreSQL problems:', applied.problems.map((p) => p.message));
    const migrationsMs = performance.now() - migrationsBegan;

    const dataBegan = performance.now();
    const targets = await readRowTargets(WORKSPACE);
    const data = await generateData(db, planFill(await readStructure(db), targets.rows));
    if (data.problems.length > 0) console.log('PostgreSQL data problems:', data.problems.map((p) => p.message));
    const dataMs = performance.now() - dataBegan;

    const analyzeBegan = performance.now();
    await db.exec('ANALYZE');
    const analyzeMs = performance.now() - analyzeBegan;
    const totalMs = performance.now() - began;

    const explainMs = await explainMedian((value) => client.query(EXPLAIN, [value]));
    const residentMb = await backendResidentMb(client);
    return { startMs, migrationsMs, dataMs, analyzeMs, totalMs, explainMs, residentMb, rows: data.tables.reduce((n, t) => n + t.inserted, 0), version };
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  console.log(`Workspace: ${WORKSPACE}`);
  const pglite = await measurePGlite();
  const postgres = await measurePostgres();
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? `${(a / b).toFixed(1)}×` : 'n/a');
  const row = (step: string, a: number | undefined, b: number | undefined, unit = 'ms') => ({
    step,
    PGlite: a === undefined ? 'n/a' : `${a.toFixed(unit === 'ms' && a >= 100 ? 0 : 1)} ${unit}`,
    [`PostgreSQL ${postgres.version}`]: b === undefined ? 'n/a' : `${b.toFixed(unit === 'ms' && b >= 100 ? 0 : 1)} ${unit}`,
    'PGlite / PostgreSQL': ratio(a, b),
  });
  printTable(`Sandbox build for ${pglite.rows.toLocaleString('en-US')} synthetic rows (PostgreSQL: ${postgres.rows.toLocaleString('en-US')})`, [
    row('start (PGlite boot / CREATE DATABASE + connect)', pglite.startMs, postgres.startMs),
    row('apply migrations', pglite.migrationsMs, postgres.migrationsMs),
    row('generate data', pglite.dataMs, postgres.dataMs),
    row('ANALYZE', pglite.analyzeMs, postgres.analyzeMs),
    row('total', pglite.totalMs, postgres.totalMs),
    row(`EXPLAIN, median of ${EXPLAIN_RUNS - 5}`, pglite.explainMs, postgres.explainMs),
    row('resident memory (PGlite: process growth; PostgreSQL: backend)', pglite.residentMb, postgres.residentMb, 'MB'),
  ]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
