import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseCatalog } from '../../server/src/db/catalog';
import { PostgresDatabase } from '../../server/src/db/postgres-database';
import { createTestDatabase, type TestDatabase } from './test-database';

let testDb: TestDatabase;
let database: PostgresDatabase;

const SCHEMA = `
CREATE SCHEMA billing;
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  "Display Name" varchar(80),
  tenant int NOT NULL,
  plan text NOT NULL DEFAULT 'free',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant, email)
);
INSERT INTO accounts (email, tenant, plan)
SELECT 'a' || g || '@example.com', g % 20, CASE WHEN g % 10 = 0 THEN 'pro' ELSE 'free' END FROM generate_series(1, 20000) g;
CREATE UNIQUE INDEX accounts_lower_email ON accounts (lower(email));
CREATE INDEX accounts_pro ON accounts (created_at) INCLUDE (email) WHERE plan = 'pro';
CREATE TABLE billing.invoices (id int PRIMARY KEY, account_id bigint REFERENCES accounts (id), amount numeric(12, 2));
CREATE TABLE public.invoices (id int PRIMARY KEY);
CREATE VIEW pro_accounts AS SELECT id, email FROM accounts WHERE plan = 'pro';
ANALYZE;
`;

beforeAll(async () => {
  testDb = await createTestDatabase(SCHEMA);
  database = new PostgresDatabase(testDb.config);
}, 30_000);

afterAll(async () => {
  await database?.end();
  await testDb?.drop();
});

describe('catalog read from the database', () => {
  it('reads tables, columns with types, keys and row estimates', async () => {
    const catalog = await DatabaseCatalog.load(database);
    expect(catalog.source).toBe('database');
    const accounts = catalog.lookup('accounts');
    expect(accounts).toMatchObject({ schema: 'public', name: 'accounts', kind: 'table', primaryKey: ['id'], rowEstimate: 20000 });
    expect(accounts?.columns.map((c) => [c.name, c.type, c.notNull])).toEqual([
      ['id', 'bigint', true],
      ['email', 'text', true],
      ['Display Name', 'character varying(80)', false],
      ['tenant', 'integer', true],
      ['plan', 'text', true],
      ['created_at', 'timestamp with time zone', true],
    ]);
    expect(accounts?.uniqueKeys).toEqual(expect.arrayContaining([['id'], ['tenant', 'email']]));
    // An expression index is unique on lower(email), not on a column set.
    expect(accounts?.uniqueKeys).not.toContainEqual(['lower(email)']);
    expect(catalog.lookup('pro_accounts')).toMatchObject({ kind: 'view' });
    expect(catalog.lookup('pro_accounts')?.rowEstimate).toBeUndefined();
  });

  it('reads indexes with definition, expression keys, predicate and INCLUDE', async () => {
    const catalog = await DatabaseCatalog.load(database);
    const indexes = catalog.lookup('accounts')?.indexes ?? [];
    const byName = Object.fromEntries(indexes.map((i) => [i.name, i]));
    expect(byName.accounts_pro).toMatchObject({
      columns: ['created_at'],
      include: ['email'],
      predicate: "(plan = 'pro'::text)",
      unique: false,
      method: 'btree',
      valid: true,
    });
    expect(byName.accounts_pro.definition).toBe(
      "CREATE INDEX accounts_pro ON public.accounts USING btree (created_at) INCLUDE (email) WHERE (plan = 'pro'::text)",
    );
    expect(byName.accounts_lower_email).toMatchObject({ columns: ['lower(email)'], unique: true });
    expect(byName.accounts_pkey).toMatchObject({ columns: ['id'], unique: true, primary: true });
  });

  it('finds tables by schema, and by search path without one', async () => {
    const catalog = await DatabaseCatalog.load(database);
    expect(catalog.lookup('invoices')?.schema).toBe('public');
    expect(catalog.lookup('invoices', 'billing')?.columns.map((c) => c.name)).toEqual(['id', 'account_id', 'amount']);
    expect(catalog.lookup('nope')).toBeUndefined();
    expect([...catalog.tables()].map((t) => `${t.schema}.${t.name}`)).toEqual(
      expect.arrayContaining(['public.accounts', 'billing.invoices', 'public.invoices', 'public.pro_accounts']),
    );
  });

  it('gives column statistics for the index advisor', async () => {
    const catalog = await DatabaseCatalog.load(database);
    const stats = await catalog.columnStatistics({ schema: 'public', name: 'accounts' });
    const plan = stats.get('plan');
    expect(plan?.nullFraction).toBe(0);
    expect(plan?.distinctEstimate).toBe(2);
    expect(plan?.mostCommonValues).toEqual(['free', 'pro']);
    expect(plan?.mostCommonFrequencies[0]).toBeCloseTo(0.9, 1);
    // A unique column: n_distinct is stored as -1 (every row distinct) and resolved against the rows.
    expect(stats.get('id')).toMatchObject({ nDistinct: -1, distinctEstimate: 20000 });
    expect(stats.get('Display Name')?.nullFraction).toBe(1);
    expect(await catalog.columnStatistics({ schema: 'public', name: 'accounts' })).toBe(stats);
  });

  it('refreshes after a migration, and only when something changed', async () => {
    const catalog = await DatabaseCatalog.load(database, { schemaCheckIntervalMs: 0 });
    expect(await catalog.refreshIfChanged()).toBe(false);
    await testDb.client.query('CREATE TABLE migrated (id int PRIMARY KEY, note text)');
    expect(catalog.lookup('migrated')).toBeUndefined();
    expect(await catalog.refreshIfChanged()).toBe(true);
    expect(catalog.lookup('migrated')?.columns.map((c) => c.name)).toEqual(['id', 'note']);
    await testDb.client.query('DROP TABLE migrated');
    await catalog.refresh();
    expect(catalog.lookup('migrated')).toBeUndefined();
  });
});
