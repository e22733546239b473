// @ts-nocheck
import { OrderRepository } from './order-repository';

export class OrderService {
  private readonly cache = new Map<number, unknown>();

  constructor(private readonly orders: OrderRepository) {}

  async details(ids: number[]) {
    const found = [];
    for (const id of ids) {
      if (this.cache.has(id)) continue;
      const order = await this.orders.find(id); // expect: query-in-loop
      this.cache.set(id, order);
      found.push(order);
    }
    return found;
  }

  async detailsBatched(ids: number[]) {
    const rows = await this.orders.findMany(ids);
    return rows.map((row) => OrderRepository.describe(row));
  }

  describeAll(rows: { id: number }[]) {
    return rows.map((row) => OrderRepository.describe(row));
  }

  keys() {
    return [...this.cache.keys()].map((key) => this.cache.get(key));
  }
}
