/**
 * The index advisor: wall time and planner calls for advice on one query, with hypopg on 1M skewed
 * orders (target ≤ 1 s) and without hypopg — each candidate built in a rolled-back transaction — on the
 * 100k-row customers table, each next to a bare EXPLAIN of the same query in the same run. Also prints
 * the workload score (advisor vs. single-column strategy). Uses a scratch database it drops.
 * Run: `node dist/advisor.bench.js [rounds]`. Connection: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adviseQuery, type AdviseOptions } from '../server/src/advisor/advise';
import { DatabaseCatalog } from '../server/src/db/catalog';
import { PostgresDatabase } from '../server/src/db/postgres-database';
import { loadParser } from '../server/src/sql/parse';
import { SHOP_DATA } from '../test/advisor/shop-data';
import { scoreWorkload, WORKLOAD } from './lib/advisor-workload';
import { median, percentile, printTable } from './lib/stats';
import { SERVER, withAdmin } from './lib/postgres';

const ROUNDS = Number(process.argv[2]) || 10;

const CASES: { label: string; sql: string; options: AdviseOptions }[] = [
  { label: 'hypopg, 1M orders: customer + date range', sql: "SELECT id, total FROM orders WHERE customer_id = $1 AND created_at > now() - interval '30 days' ORDER BY created_at DESC LIMIT 20", options: {} },
  { label: 'hypopg, 1M orders: pending, by date', sql: "SELECT id, customer_id, total FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 100", options: {} },
  { label: 'hypopg, 1M orders: join on customer email', sql: 'SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1', options: {} },
  { label: 'no hypopg, 100k customers: lower(email)', sql: 'SELECT id, email, name FROM customers WHERE lower(email) = lower($1)', options: { method: 'transaction' } },
  { label: 'no hypopg, 100k customers: country + date', sql: 'SELECT * FROM customers WHERE country = $1 AND created_at > $2 ORDER BY created_at LIMIT 50', options: { method: 'transaction' } },
];

async function main(): Promise<void> {
  await loadParser();
  const name = `pglens_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const config = { ...SERVER, database: name };
  const bare = new Client(config);
  const database = new PostgresDatabase(config, { max: 2 });
  try {
    await bare.connect();
    const loading = performance.now();
    await bare.query(`SET jit = off; ${SHOP_DATA} CREATE EXTENSION hypopg;`);
    await bare.query('VACUUM ANALYZE');
    console.log(`data: 1,000,000 orders, 100,000 customers in ${((performance.now() - loading) / 1000).toFixed(1)} s; PostgreSQL ${(await bare.query('SHOW server_version')).rows[0].server_version}`);
    const catalog = await DatabaseCatalog.load(database);

    const rows: Record<string, string | number>[] = [];
    for (const c of CASES) {
      const times: number[] = [];
      const explains: number[] = [];
      let advice = await adviseQuery(database, c.sql, { catalog, ...c.options }); // warm-up
      for (let i = 0; i < ROUNDS; i++) {
        const started = performance.now();
        advice = await adviseQuery(database, c.sql, { catalog, ...c.options });
        times.push(performance.now() - started);
        const explained = performance.now();
        await bare.query(`EXPLAIN (GENERIC_PLAN) ${c.sql}`).catch(() => bare.query(`EXPLAIN ${c.sql.replace(/\$\d/g, 'NULL')}`));
        explains.push(performance.now() - explained);
      }
      if (!advice.ok) throw new Error(`${c.label}: ${advice.message}`);
      rows.push({
        query: c.label,
        method: advice.method ?? '-',
        'p50 ms': median(times),
        'max ms': percentile(times, 100),
        'planner calls': advice.plannerCalls,
        candidates: advice.candidates,
        'vs bare EXPLAIN': median(times) / median(explains),
        suggestion: advice.suggestions.map((s) => s.ddl.replace('CREATE INDEX CONCURRENTLY IF NOT EXISTS ', '')).join('; ') || 'none',
      });
    }
    printTable(`Advice for one query (${ROUNDS} rounds; target with hypopg on 1M rows: ≤ 1000 ms)`, rows);

    const advisor = await scoreWorkload(database, 'full', { catalog });
    const single = await scoreWorkload(database, 'single-column', { catalog });
    const total = (scores: { score: number }[]) => scores.reduce((sum, s) => sum + s.score, 0);
    console.log(
      `\nWorkload score (${WORKLOAD.length} labelled queries, max ${WORKLOAD.length}): advisor ${total(advisor).toFixed(2)} (${((100 * total(advisor)) / WORKLOAD.length).toFixed(1)}%), ` +
        `single-column strategy ${total(single).toFixed(2)} (${((100 * total(single)) / WORKLOAD.length).toFixed(1)}%); target ≥ 93%`,
    );
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
