// @ts-nocheck
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

const Job = z.object({ id: z.number(), state: z.string() });

export async function states(pool: DatabasePool, ids: number[]) {
  const found = [];
  for (const id of ids) {
    found.push(await pool.one(sql.type(Job)`SELECT id, state FROM job WHERE id = ${id}`)); // expect: query-in-loop
  }
  return found;
}

export async function statesBatched(pool: DatabasePool, ids: number[]) {
  return pool.any(sql.type(Job)`SELECT id, state FROM job WHERE id = ANY(${sql.array(ids, 'int4')})`);
}

export async function requeue(pool: DatabasePool, ids: number[]) {
  await pool.transaction(async (transaction) => {
    for (const id of ids) {
      await transaction.query(sql.unsafe`UPDATE job SET state = 'queued' WHERE id = ${id}`); // expect: query-in-loop
    }
  });
}

export function valuesList(rows: { id: number; state: string }[]) {
  return sql.join(
    rows.map((row) => sql.fragment`(${row.id}, ${row.state})`),
    sql.fragment`, `,
  );
}
