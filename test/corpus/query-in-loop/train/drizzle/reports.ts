// @ts-nocheck
import { and, eq, inArray, sql } from 'drizzle-orm';
import { db } from './db';
import { invoices, users } from './schema';

export async function invoicesPerUser(userIds: number[]) {
  const result = new Map<number, unknown[]>();
  for (const userId of userIds) {
    result.set(userId, await db.select().from(invoices).where(eq(invoices.userId, userId))); // expect: query-in-loop
  }
  return result;
}

export async function invoicesPerUserBatched(userIds: number[]) {
  return db.select().from(invoices).where(inArray(invoices.userId, userIds));
}

export async function profiles(ids: number[]) {
  const found = [];
  for (const id of ids) {
    found.push(await db.query.users.findFirst({ where: eq(users.id, id), with: { invoices: true } })); // expect: query-in-loop
  }
  return found;
}

const invoiceById = db.select().from(invoices).where(eq(invoices.id, sql.placeholder('id'))).prepare('invoice_by_id');

export async function invoicesByIds(ids: number[]) {
  const rows = [];
  for (const id of ids) {
    rows.push(await invoiceById.execute({ id })); // expect: query-in-loop
  }
  return rows;
}

export function conditions(filters: { userId?: number; status?: string }[]) {
  return filters.map((filter) => and(filter.userId ? eq(invoices.userId, filter.userId) : undefined, sql`${invoices.status} = ${filter.status}`));
}

export async function markPaid(ids: number[]) {
  await db.transaction(async (tx) => {
    for (const id of ids) {
      await tx.update(invoices).set({ status: 'paid' }).where(eq(invoices.id, id)); // expect: query-in-loop
    }
  });
}
