// @ts-nocheck
import { InvoiceRepository } from './invoice.repository';
import { invoiceRepository } from './instances';

export async function overdue(repository: InvoiceRepository, ids: number[]) {
  const found = [];
  for (const id of ids) {
    const invoice = await repository.findById(id); // expect: query-in-loop
    if (invoice) found.push(invoice);
  }
  return found;
}

export async function overdueShared(ids: number[]) {
  return Promise.all(ids.map((id) => invoiceRepository.findById(id))); // expect: query-in-loop
}
