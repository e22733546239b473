// @ts-nocheck
import type { Knex } from 'knex';
import { db } from './db';

export async function stockLevels(skus: string[]) {
  const levels = {};
  for (const sku of skus) {
    levels[sku] = await db('stock').where({ sku }).first('quantity'); // expect: query-in-loop
  }
  return levels;
}

export async function stockLevelsBatched(skus: string[]) {
  return db('stock').whereIn('sku', skus).select('sku', 'quantity');
}

export function search(filters: Record<string, unknown>) {
  let query = db('products').select('*');
  for (const [column, value] of Object.entries(filters)) {
    query = query.where(column, value);
  }
  return query.limit(100);
}

export function previews(skus: string[]) {
  return skus.map((sku) => db('stock').where({ sku }).toSQL().sql);
}

export async function restock(items: { sku: string; quantity: number }[]) {
  await db.transaction(async (trx) => {
    for (const item of items) {
      await trx('stock').where({ sku: item.sku }).increment('quantity', item.quantity); // expect: query-in-loop
    }
  });
}

export async function refreshViews(trx: Knex.Transaction, views: string[]) {
  for (const view of views) {
    await trx.raw('REFRESH MATERIALIZED VIEW ??', [view]); // expect: query-in-loop
  }
}

export async function importRows(rows: { sku: string; quantity: number }[]) {
  await db.batchInsert('stock', rows, 500);
}

export async function prices(productIds: number[]) {
  const queries = [];
  for (const id of productIds) {
    queries.push(db('prices').where('product_id', id).orderBy('valid_from', 'desc').first()); // expect: query-in-loop
  }
  return Promise.all(queries);
}
