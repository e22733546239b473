// @ts-nocheck
import { createPool, sql, type DatabasePool } from 'slonik';

export async function syncAccounts(pool: DatabasePool, accounts: { id: string; balance: number }[]) {
  for (const account of accounts) {
    await pool.query(sql.unsafe`UPDATE accounts SET balance = ${account.balance} WHERE id = ${account.id}`); // expect: query-in-loop
  }
}

export async function accountBalances(pool: DatabasePool, ids: string[]) {
  return pool.any(sql.unsafe`SELECT id, balance FROM accounts WHERE id = ANY(${sql.array(ids, 'text')})`);
}

export async function main() {
  const pool = await createPool(process.env.DATABASE_URL);
  const ids = ['a', 'b'];
  const rows = await accountBalances(pool, ids);
  const fragments = ids.map((id) => sql.fragment`${id}`);
  return { rows, fragments };
}
