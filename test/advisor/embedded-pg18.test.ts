import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQuery } from '../../server/src/advisor/advise';
import { Planner } from '../../server/src/advisor/planner';
import { servedTables } from '../../server/src/advisor/served';
import { tableUses } from '../../server/src/advisor/table-usage';
import { DatabaseCatalog } from '../../server/src/db/catalog';
import { databaseFromQueryable, type Database } from '../../server/src/db/queryable';
import type { Plan } from '../../server/src/plan/model';
import { loadParser, parseSql } from '../../server/src/sql/parse';

/**
 * The advisor on the embedded database (PGlite, PostgreSQL 18): no hypopg, so candidates are built in a
 * rolled-back transaction; and the served check reads PostgreSQL 18 plans right — a sequential scan
 * `enable_seqscan = off` could not avoid is marked `Disabled`, and a skip scan constrains a later key
 * of an index without its first, which does not make the index serve the filter.
 */
let pglite: PGlite;
let database: Database;
let catalog: DatabaseCatalog;

beforeAll(async () => {
  await loadParser();
  pglite = new PGlite();
  await pglite.exec(`
    CREATE TABLE events (id int PRIMARY KEY, tenant int NOT NULL, kind int NOT NULL, payload text NOT NULL);
    INSERT INTO events SELECT g, g % 200, g % 1000, repeat('x', 40) FROM generate_series(1, 50000) g;
    CREATE INDEX events_tenant_kind_idx ON events (tenant, kind);
    ANALYZE events;
  `);
  database = databaseFromQueryable(pglite, 'embedded');
  catalog = await DatabaseCatalog.load(database);
}, 60_000);

afterAll(async () => {
  await pglite?.close();
});

/** The plan with sequential scans discouraged, as the served check makes it. */
async function planWithoutSeqScans(sql: string): Promise<Plan> {
  return database.withSession(async (session) => {
    await session.control(['BEGIN READ ONLY', 'SET LOCAL enable_seqscan = off']);
    try {
      return await new Planner(session, await database.serverVersionNum(), { text: sql, parameterCount: 0 }).plan();
    } finally {
      await session.control(['ROLLBACK']);
    }
  });
}

function usesOf(sql: string) {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  return tableUses(parsed.statements[0].stmt, catalog);
}

describe('served check on PostgreSQL 18 plans', () => {
  it('an existing index whose leading keys the filter constrains serves it', async () => {
    const sql = 'SELECT payload FROM events WHERE tenant = 1 AND kind = 7';
    expect(servedTables(await planWithoutSeqScans(sql), usesOf(sql)).map((s) => s.index)).toEqual(['events_tenant_kind_idx']);
  });

  it('a skip scan on the second key does not count as served', async () => {
    const sql = 'SELECT payload FROM events WHERE kind = 7';
    const plan = await planWithoutSeqScans(sql);
    // PostgreSQL 18 uses the index for this, skipping over tenant; the advisor must not stop there.
    expect(plan.nodes.some((node) => node.index === 'events_tenant_kind_idx' && node.indexCond === '(kind = 7)')).toBe(true);
    expect(servedTables(plan, usesOf(sql))).toEqual([]);
  });

  it('a sequential scan the setting could not avoid is Disabled, not a cost of 1e10', async () => {
    const sql = "SELECT id FROM events WHERE payload = 'y'";
    const plan = await planWithoutSeqScans(sql);
    const scan = plan.nodes.find((node) => node.nodeType === 'Seq Scan');
    expect(scan?.disabled).toBe(true);
    expect(scan!.totalCost).toBeLessThan(1e9);
    expect(servedTables(plan, usesOf(sql))).toEqual([]);
  });
});

describe('advice on the embedded database', () => {
  it('verifies by a rolled-back build and suggests the index for the second key', async () => {
    const advice = await adviseQuery(database, 'SELECT payload FROM events WHERE kind = $1', { catalog, params: [7] });
    if (!advice.ok) throw new Error(advice.message);
    expect(advice.method).toBe('transaction');
    expect(advice.suggestions.map((s) => [s.ddl, s.verifiedBy])).toEqual([['CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind)', 'transaction']]);
    const { rows } = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'events'");
    expect(rows[0].n).toBe(2);
  });
});
