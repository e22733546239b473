// @ts-nocheck
import type { Pool, PoolClient } from 'pg';

export class OrderRepository {
  constructor(private readonly pool: Pool) {}

  async find(id: number) {
    const { rows } = await this.pool.query('SELECT * FROM orders WHERE id = $1', [id]);
    return rows[0];
  }

  async findMany(ids: number[]) {
    const { rows } = await this.pool.query('SELECT * FROM orders WHERE id = ANY($1)', [ids]);
    return rows;
  }

  async lines(orderIds: number[]) {
    const client: PoolClient = await this.pool.connect();
    try {
      const all = [];
      for (const orderId of orderIds) {
        const { rows } = await client.query('SELECT * FROM order_lines WHERE order_id = $1', [orderId]); // expect: query-in-loop
        all.push(...rows);
      }
      return all;
    } finally {
      client.release();
    }
  }

  static describe(order: { id: number }) {
    return `order ${order.id}`;
  }
}
