// @ts-nocheck
import { Pool } from 'pg';

const pool = new Pool();

export async function fetchPage(after: number) {
  const { rows } = await pool.query('SELECT * FROM customers WHERE id > $1 ORDER BY id LIMIT 500', [after]);
  return rows;
}
