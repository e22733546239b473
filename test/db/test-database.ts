import { randomBytes } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';

/**
 * A throw-away database on the local PostgreSQL for one test file: created with a random name, filled
 * by `setup`, dropped (even with connections still open) by `drop()`.
 */
export const LOCAL: ClientConfig = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

export interface TestDatabase {
  name: string;
  url: string;
  config: ClientConfig;
  /** A plain connection for assertions (checksums, sequence values), outside pglens. */
  client: Client;
  drop(): Promise<void>;
}

export async function createTestDatabase(setup: string): Promise<TestDatabase> {
  const name = `pglens_test_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const config = { ...LOCAL, database: name };
  const client = new Client(config);
  await client.connect();
  try {
    // Checksums over 100k rows cross jit_above_cost; compiling them would cost more than running them.
    await client.query('SET jit = off');
    await client.query(setup);
  } catch (error) {
    await client.end();
    await withAdmin((admin) => admin.query(`DROP DATABASE ${name} WITH (FORCE)`));
    throw error;
  }
  return {
    name,
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    config,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client(LOCAL);
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Users and orders large enough (100k / 150k rows) that the planner's choices are real ones. */
export const SHOP_SCHEMA = `
CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL,
  name text,
  country text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO users (email, name, country, created_at)
SELECT 'user' || g || '@example.com', 'User ' || g, (ARRAY['de', 'fr', 'us', 'jp'])[1 + g % 4], now() - g * interval '1 minute'
FROM generate_series(1, 100000) g;
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id int NOT NULL,
  status text NOT NULL,
  total numeric(10, 2) NOT NULL,
  note text
);
INSERT INTO orders (user_id, status, total)
SELECT 1 + (g * 7919) % 100000, (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + g % 4], (g % 1000) / 10.0
FROM generate_series(1, 150000) g;
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
CREATE INDEX orders_user_id_idx ON orders (user_id) INCLUDE (total);
CREATE INDEX orders_open_idx ON orders (id) WHERE status = 'new';

CREATE TABLE tiny (id int PRIMARY KEY, label text);
INSERT INTO tiny SELECT g, 'label ' || g FROM generate_series(1, 50) g;

ANALYZE;
`;
