/**
 * The safe EXPLAIN runner against a bare `EXPLAIN` through `pg`, same run, same server, same queries:
 * latency (p50/p95) of an uncached EXPLAIN (fresh text each time: parse, checks, plan cache lookup,
 * EXPLAIN) and of a plan served from the cache, each as a ratio to the bare round trip. A third row
 * shows the editor's case: the statement was already parsed by the analysis pass (parseSql memoises).
 * Targets: cached ≤ 0.2×, uncached ≤ 1.5×. Uses a scratch database (100k users, 150k orders) that is
 * dropped afterwards. Run: `node dist/explain.bench.js [rounds]`.
 * Connection: PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER (postgres).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ExplainRunner } from '../server/src/db/explain';
import { PostgresDatabase } from '../server/src/db/postgres-database';
import { loadParser, parseSql } from '../server/src/sql/parse';
import { percentile, printTable, timeAsyncMs } from './lib/stats';
import { SERVER, SHOP_SCHEMA, withAdmin } from './lib/postgres';

const ROUNDS = Number(process.argv[2]) || 400;
const WARMUP = 30;

/** Typical editor queries; `n` makes each text new, so nothing is reused between runs. */
const QUERIES = [
  (n: number) => `SELECT id, status, total FROM orders WHERE user_id = ${n} ORDER BY id DESC LIMIT 20`,
  (n: number) => `SELECT u.email, count(*) FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = 'de' AND o.total > ${n / 1000} GROUP BY u.email`,
  (n: number) => `SELECT * FROM users WHERE email = 'user${n}@example.com'`,
];

async function main(): Promise<void> {
  await loadParser();
  const name = `pglens_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const config = { ...SERVER, database: name };
  const bare = new Client(config);
  const database = new PostgresDatabase(config);
  try {
    await bare.connect();
    await bare.query(SHOP_SCHEMA);
    const runner = new ExplainRunner(database);
    const cachedSql = QUERIES[1](7);
    const samples = { bare: [] as number[], uncached: [] as number[], parsed: [] as number[], cached: [] as number[] };
    let cacheMisses = 0;

    // Interleaved, so drift in the machine's load hits all three alike.
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const sql = QUERIES[i % QUERIES.length](1000 + i);
      const bareMs = await timeAsyncMs(() => bare.query(`EXPLAIN (FORMAT JSON) ${sql}`));
      const uncachedMs = await timeAsyncMs(async () => {
        const outcome = await runner.explain(sql);
        if (!outcome.ok || outcome.fromCache) throw new Error('expected a fresh plan');
      });
      const analysed = QUERIES[i % QUERIES.length](500_000 + i);
      parseSql(analysed); // what analyzeDocument does before anyone asks for a plan
      const parsedMs = await timeAsyncMs(async () => {
        const outcome = await runner.explain(analysed);
        if (!outcome.ok || outcome.fromCache) throw new Error('expected a fresh plan');
      });
      const cachedMs = await timeAsyncMs(async () => {
        const outcome = await runner.explain(cachedSql);
        if (!outcome.ok) throw new Error(outcome.message);
        if (!outcome.fromCache) cacheMisses++;
      });
      if (i < WARMUP) continue;
      samples.bare.push(bareMs);
      samples.uncached.push(uncachedMs);
      samples.parsed.push(parsedMs);
      samples.cached.push(cachedMs);
    }

    const base = { p50: percentile(samples.bare, 50), p95: percentile(samples.bare, 95) };
    const row = (label: string, values: number[], target: string) => {
      const p50 = percentile(values, 50);
      const p95 = percentile(values, 95);
      return {
        '': label,
        'p50 ms': p50,
        'p95 ms': p95,
        'p50 ratio': p50 / base.p50,
        'p95 ratio': p95 / base.p95,
        target,
      };
    };
    console.log(`${ROUNDS} rounds after ${WARMUP} warm-up, ${QUERIES.length} query shapes, PostgreSQL ${(await bare.query('SHOW server_version')).rows[0].server_version}`);
    printTable('EXPLAIN latency: pglens runner vs. bare EXPLAIN through pg', [
      row('bare EXPLAIN (pg)', samples.bare, '1×'),
      row('runner, uncached', samples.uncached, '≤ 1.5×'),
      row('runner, uncached, text already parsed', samples.parsed, '≤ 1.5×'),
      row('runner, cached', samples.cached, '≤ 0.2×'),
    ]);
    // The cached query misses once per schema check (1 s) at most; more would mean the cache is broken.
    console.log(`\ncached-query misses: ${cacheMisses} of ${WARMUP + ROUNDS} (the first, then none while the schema is unchanged)`);
  } finally {
    await bare.end().catch(() => undefined);
    await database.end();
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
