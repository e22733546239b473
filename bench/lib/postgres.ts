import { Client, type ClientConfig } from 'pg';

/** The local PostgreSQL the benchmarks measure against (PG* variables override the defaults). */
export const SERVER: ClientConfig = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT) || 5432,
  user: process.env.PGUSER ?? 'postgres',
};

/** Users (100k) and orders (150k) with a foreign-key index: enough rows that the planner's choices are real. */
export const SHOP_SCHEMA = `
CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, country text NOT NULL);
INSERT INTO users (email, country) SELECT 'user' || g || '@example.com', (ARRAY['de', 'fr', 'us', 'jp'])[1 + g % 4] FROM generate_series(1, 100000) g;
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), status text NOT NULL, total numeric(10, 2) NOT NULL);
INSERT INTO orders (user_id, status, total) SELECT 1 + (g * 7919) % 100000, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], (g % 1000) / 10.0 FROM generate_series(1, 150000) g;
CREATE INDEX orders_user_id_idx ON orders (user_id);
ANALYZE;
`;

/** Runs `work` on a connection to the `postgres` database: creating and dropping scratch databases. */
export async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ ...SERVER, database: 'postgres' });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
