import { existsSync } from 'node:fs';
import type { Client } from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { planFindings, type PlanFinding } from '../server/src/plan/findings/registry';
import type { Plan } from '../server/src/plan/model';
import { parsePlan } from '../server/src/plan/parse';

/**
 * What the plan-view tests share: Debian's Chromium driven by playwright-core, and real plans from the
 * local PostgreSQL (a scratch database per test file, see test/db/test-database.ts).
 */
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** In CI a missing browser is a failure; on a developer's machine the browser tests skip, loudly. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}: the plan view tests need it in CI (apt-get install chromium).`);
  console.warn(`\n*** WARNING: ${CHROMIUM} not found — the plan view browser tests are SKIPPED. Install Debian's chromium to run them. ***\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface RealPlan {
  sql: string;
  json: unknown;
  plan: Plan;
  findings: PlanFinding[];
}

/** EXPLAIN (FORMAT JSON) of `sql` on the real server, read into the model, with the plan findings. */
export async function explainJson(client: Client, sql: string, options: { analyze?: boolean } = {}): Promise<RealPlan> {
  const prefix = options.analyze ? 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ' : 'EXPLAIN (FORMAT JSON) ';
  const { rows } = await client.query<{ 'QUERY PLAN': unknown[] }>(prefix + sql);
  const json = rows[0]['QUERY PLAN'];
  const parsed = parsePlan(json);
  if (!parsed.ok) throw new Error(parsed.message);
  return { sql, json, plan: parsed.plan, findings: planFindings(parsed.plan) };
}

export async function explainText(client: Client, sql: string, options: { analyze?: boolean } = {}): Promise<string> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${options.analyze ? '(ANALYZE, BUFFERS) ' : ''}${sql}`);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** The planner settings that make PostgreSQL pick a parallel plan even for small tables. */
export const FORCE_PARALLEL = [
  'SET max_parallel_workers_per_gather = 2',
  'SET parallel_setup_cost = 0',
  'SET parallel_tuple_cost = 0',
  'SET min_parallel_table_scan_size = 0',
];

export async function withSettings<T>(client: Client, settings: string[], work: () => Promise<T>): Promise<T> {
  for (const setting of settings) await client.query(setting);
  try {
    return await work();
  } finally {
    await client.query('RESET ALL');
  }
}

/**
 * A query whose plan has about `branches * 3 + 1` nodes: a UNION ALL of small joins, each a Nested
 * Loop over two index scans, so it stays fast under ANALYZE.
 */
export function unionOfJoins(branches: number): string {
  return Array.from(
    { length: branches },
    (_, i) => `SELECT u.id, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = ${i + 1} AND o.id > ${i}`,
  ).join('\nUNION ALL\n');
}
