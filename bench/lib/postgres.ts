import { Client, type ClientConfig } from 'pg';

/** The local PostgreSQL the benchmarks measure against (PG* variables override the defaults). */
export const SERVER: ClientConfig = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT) || 5432,
  user: process.env.PGUSER ?? 'postgres',
};

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
