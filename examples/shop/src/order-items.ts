import { pool } from './db';

export interface OrderItem {
  product_id: number;
  quantity: number;
  unit_price_cents: number;
}

export async function itemsForOrder(orderId: number): Promise<OrderItem[]> {
  const { rows } = await pool.query<OrderItem>(
    'SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY id',
    [orderId],
  );
  return rows;
}

/** "Customers who bought this also bought…": everyone who ever ordered the product. */
export async function buyersOf(productId: number): Promise<number[]> {
  const { rows } = await pool.query<{ user_id: number }>(
    `SELECT DISTINCT o.user_id
       FROM order_items i
       JOIN orders o ON o.id = i.order_id
      WHERE i.product_id = $1`,
    [productId],
  );
  return rows.map((r) => r.user_id);
}

export async function addItem(orderId: number, productId: number, quantity: number, unitPriceCents: number): Promise<void> {
  await pool.query(
    'INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)',
    [orderId, productId, quantity, unitPriceCents],
  );
}
