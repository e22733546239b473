// @ts-nocheck
import type { Knex } from 'knex';

export interface OrderRow {
  id: number;
  customer_id: number;
  status: string;
  total_cents: number;
}

export class OrderRepository {
  constructor(private readonly db: Knex) {}

  findById(id: number): Promise<OrderRow | undefined> {
    return this.db<OrderRow>('orders').where({ id }).first();
  }

  findByIds(ids: number[]): Promise<OrderRow[]> {
    return this.db<OrderRow>('orders').whereIn('id', ids);
  }

  async itemsFor(orderIds: number[]) {
    const items: Record<number, unknown[]> = {};
    for (const orderId of orderIds) {
      items[orderId] = await this.db('order_items').where('order_id', orderId); // expect: query-in-loop
    }
    return items;
  }

  async totals(customerId: number) {
    return this.db.raw('SELECT sum(total_cents) AS cents FROM orders WHERE customer_id = ?', [customerId]);
  }

  static toDto(row: OrderRow) {
    return { id: row.id, status: row.status, total: row.total_cents / 100 };
  }
}
