// @ts-nocheck
import { sql, type Kysely } from 'kysely';
import { db } from './database';
import type { DB } from './types';

export async function balances(accountIds: number[]) {
  const result: Record<number, number> = {};
  for (const id of accountIds) {
    const row = await db.selectFrom('account').select('balance').where('id', '=', id).executeTakeFirstOrThrow(); // expect: query-in-loop
    result[id] = row.balance;
  }
  return result;
}

export async function balancesBatched(accountIds: number[]) {
  return db.selectFrom('account').select(['id', 'balance']).where('id', 'in', accountIds).execute();
}

export function compiled(ids: number[]) {
  return ids.map((id) => db.selectFrom('account').selectAll().where('id', '=', id).compile());
}

export async function filtered(filters: Record<string, string>) {
  return db
    .selectFrom('account')
    .selectAll()
    .where((eb) => eb.and(Object.entries(filters).map(([column, value]) => eb(column, '=', value))))
    .execute();
}

export async function transfer(trx: Kysely<DB>, moves: { from: number; to: number; amount: number }[]) {
  for (const move of moves) {
    await trx.updateTable('account').set((eb) => ({ balance: eb('balance', '-', move.amount) })).where('id', '=', move.from).execute(); // expect: query-in-loop
    await trx.updateTable('account').set((eb) => ({ balance: eb('balance', '+', move.amount) })).where('id', '=', move.to).execute(); // expect: query-in-loop
  }
}

export async function transferAll(moves: { from: number; to: number; amount: number }[]) {
  await db.transaction().execute(async (trx) => transfer(trx, moves));
}

export async function analyze(tables: string[]) {
  for (const table of tables) {
    await sql`ANALYZE ${sql.table(table)}`.execute(db); // expect: query-in-loop
  }
}

export async function accountsByOwner(ownerIds: number[]) {
  return Promise.all(
    ownerIds.map((ownerId) =>
      db.selectFrom('account').selectAll().where('owner_id', '=', ownerId).execute(), // expect: query-in-loop
    ),
  );
}
