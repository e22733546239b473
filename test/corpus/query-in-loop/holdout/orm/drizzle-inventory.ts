// @ts-nocheck
import { drizzle } from 'drizzle-orm/node-postgres';
import { eq, inArray, sql } from 'drizzle-orm';
import { products, stock } from './drizzle-schema';

const db = drizzle(process.env.DATABASE_URL!);

export async function restock(levels: { productId: number; quantity: number }[]) {
  for (const level of levels) {
    await db.update(stock).set({ quantity: level.quantity }).where(eq(stock.productId, level.productId)); // expect: query-in-loop
  }
}

export async function stockFor(productIds: number[]) {
  return db.select().from(stock).where(inArray(stock.productId, productIds));
}

export async function productNames(ids: number[]) {
  const names = await Promise.all(
    ids.map(async (id) => {
      const [row] = await db.select({ name: products.name }).from(products).where(eq(products.id, id)); // expect: query-in-loop
      return row?.name;
    }),
  );
  return names;
}

export function nameFilters(terms: string[]) {
  return terms.map((term) => sql`${products.name} ilike ${'%' + term + '%'}`);
}
