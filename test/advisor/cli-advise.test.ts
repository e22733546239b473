import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../db/test-database';
import { tempWorkspace, type TempWorkspace } from '../migrations/workspace';
import { createShopDatabase } from './shop-data';

/** `pglens advise` as users and CI run it: the built executable against 1M skewed orders. */
const CLI = join(resolve(__dirname, '..', '..'), 'dist', 'cli.js');

let testDb: TestDatabase;
let workspace: TempWorkspace;

beforeAll(async () => {
  testDb = await createShopDatabase();
  workspace = tempWorkspace({
    // hypopg is not created in the scratch database: this setting lets pglens create it.
    '.pglens.json': JSON.stringify({ advisor: { createHypopg: true } }),
    'queries/customer_orders.sql': '-- A customer\'s orders\nSELECT id FROM orders WHERE customer_id = $1;\n',
    'src/orders.ts': [
      'export async function recentOrders(db: { query(sql: string, values: unknown[]): Promise<unknown> }, customerId: number) {',
      '  return db.query("SELECT id, total FROM orders WHERE customer_id = $1 AND created_at > now() - interval \'30 days\'", [customerId]);',
      '}',
      '',
    ].join('\n'),
  });
}, 90_000);

afterAll(async () => {
  workspace?.remove();
  await testDb?.drop();
});

function pglens(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  const run = spawnSync(process.execPath, [CLI, 'advise', ...args], { cwd: workspace.root, env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('pglens advise --sql', () => {
  it('prints the verified index as JSON, creating hypopg as the settings allow', async () => {
    const run = pglens(['--db', testDb.url, '--format', 'json', '--sql', "SELECT id, total FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 20"]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout) as { version: number; suggestions: Record<string, unknown>[] };
    expect(output.version).toBe(1);
    expect(output.suggestions).toHaveLength(1);
    expect(Object.keys(output.suggestions[0])).toEqual(['ddl', 'table', 'kind', 'costBefore', 'costAfter', 'sizeBytes']);
    expect(output.suggestions[0]).toMatchObject({
      ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_pending_idx ON orders (created_at) INCLUDE (id, total) WHERE status = 'pending'",
      table: 'orders',
      kind: 'partial',
    });
    const { rows } = await testDb.client.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'hypopg'");
    expect(rows[0].n).toBe(1);
  });

  it('prints an empty list when no index helps', () => {
    for (const sql of ["SELECT id FROM orders WHERE status = 'shipped'", 'SELECT status, count(*) FROM orders GROUP BY status', 'SELECT * FROM customers WHERE id = $1']) {
      const run = pglens(['--db', testDb.url, '--format', 'json', '--sql', sql]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('{"version":1,"suggestions":[]}\n');
    }
  });

  it('plans with --param values, and says so when it had to plan generically', () => {
    const sql = 'SELECT id FROM orders WHERE customer_id = $1';
    const generic = pglens(['--db', testDb.url, '--sql', sql]);
    expect(generic.stderr).toContain('note: Generic plan');
    expect(generic.stdout).toMatch(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders \(customer_id\);\n  single index on orders · cost [\d,.]+ → [\d,.]+ \(−\d+(\.\d+)?%\) · about [\d.]+ MB · verified with hypopg\n$/);
    const valued = pglens(['--db', testDb.url, '--sql', sql, '--param', '42']);
    expect(valued.status).toBe(0);
    expect(valued.stderr).toBe('');
  });

  it('refuses missing input and an unreachable database with exit 2 and what to do', () => {
    const missing = pglens(['--db', testDb.url]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("pglens advise: say what to advise on: --sql \"SELECT …\" or --workspace [PATH]");
    const down = pglens(['--db', 'postgresql://postgres@127.0.0.1:1/nothing', '--sql', 'SELECT 1']);
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/^pglens advise: cannot use the database from --db/);
  });
});

describe('pglens advise --workspace', () => {
  it('advises every query found and merges indexes one can serve, ranked by total benefit', () => {
    const run = pglens(['--db', testDb.url, '--format', 'json', '--workspace', '.']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('advised on 2 queries');
    const output = JSON.parse(run.stdout) as { suggestions: { ddl: string; benefit: number; costBefore: number; costAfter: number; queries: { file: string; line: number }[] }[] };
    expect(output.suggestions.map((s) => s.ddl)).toEqual(['CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at)']);
    const [merged] = output.suggestions;
    expect(merged.queries).toEqual([
      { file: 'src/orders.ts', line: 2 },
      { file: 'queries/customer_orders.sql', line: 2 },
    ]);
    expect(merged.benefit).toBeCloseTo(merged.costBefore - merged.costAfter, 1);
  });
});
