/**
 * A two-file N+1: orders.ts loops over ids and calls loadUser, which lives in users.ts and queries in
 * one version of it, and reads a cache in the other. Shared by the CLI and language-server tests.
 */
export const USERS_QUERYING = `import { Pool } from 'pg';
const pool = new Pool();
export async function loadUser(id: number) {
  const { rows } = await pool.query('SELECT id, email FROM users WHERE id = $1', [id]);
  return rows[0];
}
`;
export const USERS_CACHED = `const cache = new Map<number, { id: number }>();
export async function loadUser(id: number) {
  return cache.get(id);
}
`;
export const ORDERS = `import { loadUser } from './users';
export async function owners(ids: number[]) {
  const result = [];
  for (const id of ids) {
    result.push(await loadUser(id));
  }
  return result;
}
`;
