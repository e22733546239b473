// @ts-nocheck
import { Injectable } from '@nestjs/common';
import { OrderRepository } from './order.repository';

@Injectable()
export class ReportService {
  constructor(private readonly orders: OrderRepository) {}

  async byIds(ids: number[]) {
    const rows = [];
    for (const id of ids) {
      rows.push(await this.orders.findById(id)); // expect: query-in-loop
    }
    return rows.map(OrderRepository.toDto);
  }

  async byIdsBatched(ids: number[]) {
    const rows = await this.orders.findByIds(ids);
    return rows.map(OrderRepository.toDto);
  }

  async statuses(ids: number[]) {
    const statuses: string[] = [];
    let i = 0;
    while (i < ids.length) {
      const order = await this.orders.findById(ids[i]); // expect: query-in-loop
      statuses.push(order?.status ?? 'missing');
      i++;
    }
    return statuses;
  }

  async customerTotals(customerIds: number[]) {
    return Promise.all(customerIds.map((id) => this.orders.totals(id))); // expect: query-in-loop
  }

  labels(ids: number[]) {
    return ids.map((id) => this.label(id));
  }

  private label(id: number) {
    return `#${id}`;
  }
}
