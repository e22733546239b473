import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxProgress } from '../server/src/db/sandbox/sandbox';

/** The example shop at a small scale: big enough for the planner to prefer indexes, quick to build. */
const ROWS = { users: 2000, products: 300, orders: 20000, order_items: 40000 };
const SHOP = join(__dirname, '..', 'examples', 'shop');

let sandbox: Sandbox;
const progress: SandboxProgress[] = [];

beforeAll(async () => {
  sandbox = await startSandbox(SHOP, { rows: ROWS, onProgress: (event) => progress.push(event) });
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
});

async function count(sql: string): Promise<number> {
  const { rows } = await sandbox.query<{ n: number }>(sql);
  return Number(rows[0].n);
}

/** The plan's node types, outermost first, from EXPLAIN (FORMAT JSON). */
async function planNodes(sql: string, values: unknown[] = []): Promise<string[]> {
  const { rows } = await sandbox.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node['Node Type']);
    node.Plans?.forEach(walk);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return nodes;
}

interface PlanNode {
  'Node Type': string;
  Plans?: PlanNode[];
}

describe('sandbox built from examples/shop', () => {
  it('applies the four migrations in order and describes itself for the status bar', () => {
    expect(sandbox.problems).toEqual([]);
    expect(sandbox.migrations.tool).toBe('sql');
    expect(sandbox.applied).toEqual([
      'migrations/001_create_users.sql',
      'migrations/002_create_products.sql',
      'migrations/003_create_orders.sql',
      'migrations/004_create_order_items.sql',
    ]);
    expect(sandbox.majorVersion).toBe(18);
    expect(sandbox.description).toBe('sandbox (PGlite, PostgreSQL 18) built from 4 migrations, 62,300 synthetic rows');
    expect(sandbox.timings.totalMs).toBeGreaterThan(sandbox.timings.startMs);
  });

  it('reports progress per migration and per table, then ready', () => {
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('starting');
    expect(phases.filter((p) => p === 'migration')).toHaveLength(4);
    expect(phases.at(-1)).toBe('ready');
    const lastPerTable = new Map(progress.flatMap((p) => (p.phase === 'data' ? [[p.table, p.rows] as const] : [])));
    expect(Object.fromEntries(lastPerTable)).toEqual({
      'public.products': 300,
      'public.users': 2000,
      'public.orders': 20000,
      'public.order_items': 40000,
    });
  });

  it('fills every table with the declared number of rows', async () => {
    for (const [table, rows] of Object.entries(ROWS)) {
      expect(await count(`SELECT count(*)::int AS n FROM ${table}`), table).toBe(rows);
    }
    expect(sandbox.syntheticRows).toBe(62_300);
  });

  it('leaves no orphan rows: every foreign key points at an existing parent', async () => {
    expect(await count('SELECT count(*)::int AS n FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM order_items i LEFT JOIN orders o ON o.id = i.order_id WHERE o.id IS NULL')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM order_items i LEFT JOIN products p ON p.id = i.product_id WHERE p.id IS NULL')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM users c LEFT JOIN users r ON r.id = c.referred_by WHERE c.referred_by IS NOT NULL AND r.id IS NULL')).toBe(0);
  });

  it('fills the self-referencing referred_by for some users, not all', async () => {
    const referred = await count('SELECT count(*)::int AS n FROM users WHERE referred_by IS NOT NULL');
    expect(referred).toBeGreaterThan(ROWS.users * 0.2);
    expect(referred).toBeLessThan(ROWS.users * 0.8);
  });

  it('respects unique constraints and CHECK lists', async () => {
    expect(await count('SELECT count(DISTINCT email)::int AS n FROM users')).toBe(ROWS.users);
    expect(await count('SELECT count(DISTINCT sku)::int AS n FROM products')).toBe(ROWS.products);
    expect(await count('SELECT count(DISTINCT public_id)::int AS n FROM orders')).toBe(ROWS.orders);
    const { rows } = await sandbox.query<{ plan: string }>('SELECT DISTINCT plan FROM users ORDER BY plan');
    expect(rows.map((r) => r.plan)).toEqual(['business', 'free', 'plus']);
  });

  it('skews low-cardinality columns and foreign keys, as real data is', async () => {
    const { rows } = await sandbox.query<{ n: number }>('SELECT count(*)::int AS n FROM orders GROUP BY status ORDER BY n DESC');
    expect(rows).toHaveLength(6);
    expect(Number(rows[0].n)).toBeGreaterThan(3 * Number(rows[rows.length - 1].n));
    const busiest = await count('SELECT max(n)::int AS n FROM (SELECT count(*) AS n FROM orders GROUP BY user_id) per_user');
    expect(busiest).toBeGreaterThan(5 * (ROWS.orders / ROWS.users));
  });

  it('plans a filter on an unindexed column as a Seq Scan and a primary-key lookup as an index scan', async () => {
    expect(await planNodes('SELECT id, total_cents FROM orders WHERE user_id = $1', [42])).toContain('Seq Scan');
    const byId = await planNodes('SELECT id, total_cents FROM orders WHERE id = $1', [42]);
    expect(byId).toEqual(['Index Scan']);
  });

  it('rebuilds the indexes it set aside during the load', async () => {
    const { rows } = await sandbox.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'order_items' ORDER BY 1");
    expect(rows.map((r) => r.indexname)).toEqual(['order_items_order_id_idx', 'order_items_pkey']);
    const unique = await sandbox.query<{ conname: string }>("SELECT conname FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'u'");
    expect(unique.rows.map((r) => r.conname)).toEqual(['orders_public_id_key']);
    expect(await planNodes('SELECT quantity FROM order_items WHERE order_id = $1', [7])).toEqual(expect.arrayContaining([expect.stringMatching(/Index|Bitmap/)]));
  });

  it('gives a held client the connection alone until it is released', async () => {
    const client = await sandbox.connect();
    await client.query('BEGIN READ ONLY');
    await client.query("SET LOCAL application_name = 'held'");
    let otherDone = false;
    const other = sandbox.query<{ application_name: string }>('SHOW application_name').then((result) => {
      otherDone = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otherDone).toBe(false);
    const inside = await client.query<{ application_name: string }>('SHOW application_name');
    expect(inside.rows[0].application_name).toBe('held');
    await client.query('ROLLBACK');
    client.release();
    expect((await other).rows[0].application_name).not.toBe('held');
    await expect(client.query('SELECT 1')).rejects.toThrow(/released/);
  });

  it('passes PostgreSQL errors through with their SQLSTATE and keeps serving', async () => {
    await expect(sandbox.query('SELECT no_such_column FROM orders')).rejects.toMatchObject({ code: '42703' });
    expect(await count('SELECT 1 AS n')).toBe(1);
  });
});
