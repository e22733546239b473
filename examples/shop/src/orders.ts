import { pool, sql } from './db';
import { itemsForOrder, type OrderItem } from './order-items';

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';

export interface OrderSummary {
  id: number;
  status: OrderStatus;
  total_cents: number;
  placed_at: Date;
}

/** The customer's "My orders" page. */
export async function ordersForUser(userId: number): Promise<OrderSummary[]> {
  const { rows } = await pool.query<OrderSummary>(
    'SELECT id, status, total_cents, placed_at FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 20',
    [userId],
  );
  return rows;
}

export async function orderByPublicId(publicId: string) {
  const [order] = await sql`
    SELECT id, user_id, status, total_cents, currency, placed_at
      FROM orders
     WHERE public_id = ${publicId}
  `;
  return order;
}

/** Warehouse screen: orders waiting in a given state. */
export async function ordersInStatus(status: OrderStatus) {
  return sql`SELECT * FROM orders WHERE status = ${status} ORDER BY placed_at`;
}

/** Order history with line items, for the support tool. */
export async function recentOrdersWithItems(userId: number): Promise<(OrderSummary & { items: OrderItem[] })[]> {
  const orders = await ordersForUser(userId);
  const result = [];
  for (const order of orders) {
    const items = await itemsForOrder(order.id);
    result.push({ ...order, items });
  }
  return result;
}

export async function markShipped(orderIds: number[]): Promise<void> {
  await sql`
    UPDATE orders
       SET status = 'shipped', shipped_at = now()
     WHERE id = ANY(${orderIds}) AND status = 'paid'
  `;
}

export async function cancelStalePending(olderThanDays: number): Promise<number> {
  const result = await pool.query(
    `UPDATE orders SET status = 'cancelled'
      WHERE status = 'pending' AND placed_at < now() - make_interval(days => $1)`,
    [olderThanDays],
  );
  return result.rowCount ?? 0;
}

export async function paidRevenueCents(): Promise<number> {
  const [row] = await sql<{ total: string }[]>`SELECT coalesce(sum(total_cents), 0) AS total FROM orders WHERE status = 'paid'`;
  return Number(row.total);
}

/** Nightly e-mail: orders shipped today, one query per order to load its customer. */
export async function shippedTodayWithCustomers() {
  const { rows: shipped } = await pool.query<{ id: number; user_id: number }>(
    `SELECT id, user_id FROM orders WHERE shipped_at >= current_date ORDER BY shipped_at LIMIT 500`,
  );
  const result = [];
  for (const order of shipped) {
    const { rows } = await pool.query('SELECT email, full_name FROM users WHERE id = $1', [order.user_id]);
    result.push({ orderId: order.id, customer: rows[0] });
  }
  return result;
}
