import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQuery, type AdviseOptions } from '../../server/src/advisor/advise';
import type { Advice } from '../../server/src/advisor/suggestion';
import { DatabaseCatalog } from '../../server/src/db/catalog';
import { PostgresDatabase } from '../../server/src/db/postgres-database';
import { loadParser } from '../../server/src/sql/parse';
import type { TestDatabase } from '../db/test-database';
import { createShopDatabase, indexNames } from './shop-data';

/**
 * Verification without hypopg: each candidate built inside a savepoint of a transaction that is rolled
 * back. Refused, and reported as not verifiable, for tables above maxTableBytesForRealIndex, tables
 * another session holds locked past lock_timeout, and builds PostgreSQL would not use in the same
 * transaction (pg_index.indcheckxmin). Nothing is ever committed.
 */
const TICKETS = `
CREATE TABLE tickets (id int PRIMARY KEY, assignee int NOT NULL, title text NOT NULL) WITH (fillfactor = 70);
INSERT INTO tickets SELECT g, g % 5000, 'Ticket ' || g FROM generate_series(1, 100000) g;
`;

let testDb: TestDatabase;
let database: PostgresDatabase;
let catalog: DatabaseCatalog;
let indexesBefore: string[];

beforeAll(async () => {
  await loadParser();
  testDb = await createShopDatabase(TICKETS);
  database = new PostgresDatabase(testDb.config, { max: 1 });
  catalog = await DatabaseCatalog.load(database);
  indexesBefore = await indexNames((sql) => testDb.client.query(sql));
}, 90_000);

afterAll(async () => {
  await database?.end();
  await testDb?.drop();
});

async function advise(sql: string, options: AdviseOptions = {}): Promise<Advice> {
  const outcome = await adviseQuery(database, sql, { catalog, method: 'transaction', ...options });
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
  return outcome;
}

async function otherSession(): Promise<Client> {
  const client = new Client(testDb.config);
  await client.connect();
  return client;
}

describe('verification by a rolled-back build', () => {
  it('suggests what the planner used, with the real size of the built index', async () => {
    const advice = await advise('SELECT id, email FROM customers WHERE lower(email) = lower($1)');
    expect(advice.method).toBe('transaction');
    expect(advice.suggestions.map((s) => [s.kind, s.ddl, s.verifiedBy])).toEqual([
      ['expression', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_lower_email_idx ON customers (lower(email))', 'transaction'],
    ]);
    expect(advice.suggestions[0].sizeBytes).toBeGreaterThan(1_000_000);
    expect(await indexNames((sql) => testDb.client.query(sql))).toEqual(indexesBefore);
  });

  it('does not build on a table larger than maxTableBytesForRealIndex, and says so', async () => {
    const query = "SELECT id, total FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 20";
    const refused = await advise(query);
    expect(refused.suggestions).toEqual([]);
    expect(refused.unverified).toHaveLength(1);
    expect(refused.unverified[0].reason).toMatch(/^orders is [\d.]+ MB, more than advisor\.maxTableBytesForRealIndex \(64\.0 MB\), so the index was not built/);
    const allowed = await advise(query, { settings: { maxTableBytesForRealIndex: 1024 ** 3 } });
    expect(allowed.suggestions.map((s) => s.ddl)).toEqual([
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_pending_idx ON orders (created_at) INCLUDE (id, total) WHERE status = 'pending'",
    ]);
  });

  it('waits at most lock_timeout for a table another session is writing, then reports it unverified', async () => {
    const writer = await otherSession();
    try {
      await writer.query('BEGIN');
      await writer.query("UPDATE customers SET name = name WHERE id = 1");
      const started = performance.now();
      const advice = await advise('SELECT id, email FROM customers WHERE lower(email) = lower($1)', { settings: { lockTimeoutMs: 200 } });
      expect(advice.suggestions).toEqual([]);
      expect(advice.unverified.map((u) => u.reason)).toEqual([
        'the index could not be built to test it: its table is locked by another session (waited 200 ms); try again when the table is idle, or install hypopg to verify without building the index',
      ]);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await writer.query('ROLLBACK');
      await writer.end();
    }
  });

  it('reports "could not verify" when the build met rows older transactions still see (indcheckxmin)', async () => {
    const reader = await otherSession();
    try {
      // An open snapshot keeps the old row versions alive; HOT updates then break the chains a new index on assignee would need.
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM tickets');
      await testDb.client.query('UPDATE tickets SET assignee = assignee + 1 WHERE id <= 2000');
      const advice = await advise('SELECT id FROM tickets WHERE assignee = $1');
      expect(advice.suggestions).toEqual([]);
      expect(advice.unverified.map((u) => u.reason)).toEqual([
        'tickets has recently updated rows that older transactions still see, so PostgreSQL would not use an index built now in the same transaction; run VACUUM tickets and ask again, or install hypopg',
      ]);
    } finally {
      await reader.query('COMMIT');
      await reader.end();
    }
  });

  it('leaves no index and no prepared statement behind', async () => {
    expect(await indexNames((sql) => testDb.client.query(sql))).toEqual(indexesBefore);
    const { rows } = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
    expect(rows[0].n).toBe(0);
  });
});
