// @ts-nocheck
import { BaseRepository } from './base.repository';

export class InvoiceRepository extends BaseRepository<{ id: number; customerId: number }> {
  protected readonly table = 'invoices';

  async findChain(ids: number[]) {
    const invoices = [];
    for (const id of ids) {
      invoices.push(await this.findById(id)); // expect: query-in-loop
    }
    return invoices;
  }

  async findAll(ids: number[]) {
    return this.findByIds(ids);
  }

  async customers(invoiceIds: number[]) {
    const invoices = await this.findByIds(invoiceIds);
    return Promise.all(invoices.map((invoice) => this.knex('customers').where('id', invoice.customerId).first())); // expect: query-in-loop
  }
}
