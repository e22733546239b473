// @ts-nocheck
import { pool } from '../pg/db';

export async function withRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

export async function reindex(ids: number[]) {
  for (const id of ids) {
    await withRetry(() => pool.query('REINDEX INDEX CONCURRENTLY $1', [id])); // expect: query-in-loop
  }
}

export function handlers(names: string[]) {
  return names.map((name) => ({
    name,
    run: async () => {
      const { rows } = await pool.query('SELECT * FROM handlers WHERE name = $1', [name]);
      return rows;
    },
  }));
}

export async function* pages(size: number) {
  let last = 0;
  while (true) {
    const { rows } = await pool.query('SELECT * FROM items WHERE id > $1 ORDER BY id LIMIT $2', [last, size]);
    if (!rows.length) return;
    yield rows;
    last = rows[rows.length - 1].id;
  }
}

export async function perItemLookup(items: { sku: string }[]) {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.sku)) continue;
    seen.add(item.sku);
    // pglens-ignore query-in-loop
    await pool.query('SELECT 1 FROM skus WHERE sku = $1', [item.sku]);
  }
}
