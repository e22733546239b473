// @ts-nocheck
import pg from 'pg';

export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

/** Runs one statement and returns its rows. */
export async function query<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const result = await pool.query(text, params);
  return result.rows as T[];
}

export async function one<T>(text: string, params: unknown[] = []): Promise<T | undefined> {
  const rows = await query<T>(text, params);
  return rows[0];
}
