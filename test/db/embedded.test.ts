import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseConnection } from '../../server/src/db/connection';
import { ExplainRunner, type ExplainOutcome } from '../../server/src/db/explain';
import { databaseFromQueryable } from '../../server/src/db/queryable';
import { parsePlan } from '../../server/src/plan/parse';

/** The embedded database (PGlite, PostgreSQL 18 in WASM) standing in for a server behind the same runner. */
let pglite: PGlite;
let connection: DatabaseConnection;

beforeAll(async () => {
  pglite = new PGlite();
  await pglite.exec(`
    CREATE TABLE items (id serial PRIMARY KEY, sku text NOT NULL, qty int NOT NULL);
    INSERT INTO items (sku, qty) SELECT 'sku-' || g, g % 50 FROM generate_series(1, 20000) g;
    ANALYZE items;
  `);
  connection = DatabaseConnection.embedded(async () => pglite);
}, 60_000);

afterAll(async () => {
  await connection?.dispose();
  await pglite?.close();
});

function plan(outcome: ExplainOutcome) {
  if (!outcome.ok) throw new Error(outcome.message);
  const parsed = parsePlan(outcome.json);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.plan;
}

describe('embedded database', () => {
  it('reports the embedded state with its PostgreSQL version', async () => {
    const state = await connection.connect();
    expect(state).toMatchObject({ status: 'embedded' });
    expect(state.status === 'embedded' && state.serverVersionNum).toBeGreaterThanOrEqual(160000);
    expect(connection.database?.kind).toBe('embedded');
  });

  it('plans $n with GENERIC_PLAN (PostgreSQL 16+)', async () => {
    const runner = new ExplainRunner(connection.database!);
    const outcome = await runner.explain('SELECT * FROM items WHERE id = $1');
    expect(outcome).toMatchObject({ ok: true, genericPlan: true });
    expect(plan(outcome).root.indexCond).toBe('(id = $1)');
  });

  it('plans $n with PREPARE where the connection has no simple protocol (the sandbox client)', async () => {
    const queryOnly = databaseFromQueryable({ query: (text, values) => pglite.query(text, values) });
    const outcome = await new ExplainRunner(queryOnly).explain('SELECT * FROM items WHERE sku = $1');
    expect(outcome).toMatchObject({ ok: true, genericPlan: true });
    expect(plan(outcome).root.indexCond ?? plan(outcome).root.filter).toBe('(sku = $1)');
    const prepared = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
    expect(prepared.rows[0].n).toBe(0);
  });

  it('runs ANALYZE of a write and rolls it back', async () => {
    const runner = new ExplainRunner(connection.database!);
    const before = await pglite.query<{ n: number; s: number }>('SELECT count(*)::int AS n, sum(qty)::int AS s FROM items');
    const outcome = await runner.explain('UPDATE items SET qty = qty + 1 WHERE qty < 10', { analyze: true, analyzeWrites: 'rollback' });
    expect(outcome).toMatchObject({ ok: true, analyzed: true });
    const after = await pglite.query<{ n: number; s: number }>('SELECT count(*)::int AS n, sum(qty)::int AS s FROM items');
    expect(after.rows).toEqual(before.rows);
  });

  it('reads PostgreSQL 18 plans: a disabled node is flagged "Disabled", and actual rows may be fractional', async () => {
    const db = databaseFromQueryable(pglite);
    const json = await db.withSession(async (session) => {
      await session.control(['BEGIN', 'SET LOCAL enable_seqscan = off']);
      try {
        const result = await session.query<{ 'QUERY PLAN': unknown[] }>("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM items WHERE sku = 'sku-7'");
        return result.rows[0]['QUERY PLAN'][0];
      } finally {
        await session.control(['ROLLBACK']);
      }
    });
    const parsed = parsePlan(json);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const scan = parsed.plan.nodes.find((n) => n.nodeType === 'Seq Scan');
    expect(scan?.disabled).toBe(true);
    expect(scan?.actual?.rows).toBe(1);
    expect(parsed.plan.analyzed).toBe(true);
  });
});
