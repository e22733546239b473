import { createTestDatabase, type TestDatabase } from '../db/test-database';

/**
 * A shop with skewed data for the index advisor, loaded once per test file with generate_series:
 * 1,000,000 orders (status 'pending' 1%, 'cancelled' 9%, 'delivered' 30%, 'shipped' 60%; created_at
 * spread over five years; customers skewed towards low ids), 100,000 customers with mixed-case emails
 * and a country ('us' 40%), 5,000 products. VACUUM ANALYZE, so statistics and the visibility map are
 * what a settled database has. Takes ~6 s.
 */
export const SHOP_DATA = `
SELECT setseed(0.42);
CREATE TABLE customers (
  id int PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  country text NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO customers
SELECT g,
  (ARRAY['User', 'user', 'USER'])[1 + g % 3] || g || (ARRAY['@Example.com', '@example.COM'])[1 + g % 2],
  'Customer ' || g,
  (ARRAY['us', 'us', 'us', 'us', 'de', 'fr', 'jp', 'br', 'in', 'gb'])[1 + g % 10],
  timestamptz '2020-01-01 00:00+00' + g * interval '26 minutes'
FROM generate_series(1, 100000) g;
CREATE UNIQUE INDEX customers_email_key ON customers (email);
CREATE INDEX customers_country_name_idx ON customers (country, name);

CREATE TABLE products (id int PRIMARY KEY, sku text NOT NULL UNIQUE, name text NOT NULL, price numeric(10, 2) NOT NULL);
INSERT INTO products SELECT g, 'SKU-' || g, 'Product ' || g, (g % 500) + 0.99 FROM generate_series(1, 5000) g;

CREATE TABLE orders (
  id bigint NOT NULL,
  customer_id int NOT NULL,
  product_id int NOT NULL,
  status text NOT NULL,
  total numeric(10, 2) NOT NULL,
  created_at timestamptz NOT NULL,
  note text
);
INSERT INTO orders
SELECT g,
  1 + floor(100000 * power(random(), 1.5))::int % 100000,
  1 + (g::bigint * 7919) % 5000,
  CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 100 < 10 THEN 'cancelled' WHEN g % 100 < 40 THEN 'delivered' ELSE 'shipped' END,
  round((random() * 500)::numeric, 2),
  timestamptz '2020-01-01 00:00+00' + random() * interval '5 years',
  CASE WHEN g % 10 = 0 THEN repeat('gift note ', 8) END
FROM generate_series(1, 1000000) g;
ALTER TABLE orders ADD PRIMARY KEY (id);
`;

export async function createShopDatabase(extra = ''): Promise<TestDatabase> {
  const db = await createTestDatabase(SHOP_DATA + extra);
  // VACUUM cannot run in the implicit transaction of a multi-statement query.
  await db.client.query('VACUUM ANALYZE');
  return db;
}

/** Every index in the database, and every hypothetical one on `session`'s backend: what must not change. */
export async function indexNames(query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>): Promise<string[]> {
  const { rows } = await query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
  return rows.map((row) => String(row.indexname));
}
