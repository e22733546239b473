import { pool } from './db';

export type Category = 'books' | 'electronics' | 'home' | 'garden' | 'toys' | 'clothing' | 'grocery';

export async function productsInCategory(category: Category) {
  const { rows } = await pool.query(
    'SELECT id, sku, name, price_cents FROM products WHERE category = $1 AND is_active ORDER BY name LIMIT 50',
    [category],
  );
  return rows;
}

export async function productBySku(sku: string) {
  const { rows } = await pool.query('SELECT id, sku, name, price_cents, stock FROM products WHERE sku = $1', [sku]);
  return rows[0];
}

export async function searchProducts(term: string) {
  const { rows } = await pool.query(
    `SELECT id, name, price_cents FROM products WHERE name ILIKE '%' || $1 || '%' AND is_active ORDER BY name LIMIT 20`,
    [term],
  );
  return rows;
}

/** Goods received from a supplier: bump stock line by line. */
export async function restock(delivery: { productId: number; quantity: number }[]): Promise<void> {
  for (const line of delivery) {
    await pool.query('UPDATE products SET stock = stock + $1 WHERE id = $2', [line.quantity, line.productId]);
  }
}

/** Header numbers for the catalog admin page. */
export async function catalogStats() {
  const { rows } = await pool.query<{ products: number; out_of_stock: number; avg_price_cents: number }>(
    `SELECT count(*) AS products,
            count(*) FILTER (WHERE stock = 0) AS out_of_stock,
            round(avg(price_cents)) AS avg_price_cents
       FROM products
      WHERE is_active`,
  );
  return rows[0];
}
