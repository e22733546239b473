// @ts-nocheck
import type { PoolClient } from 'pg';
import { pool, withTransaction } from './db';
import { discountFor, getCustomer } from './index';
import * as customers from './customers';

interface InvoiceLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

interface Invoice {
  id: string;
  customerId: string;
  lines: InvoiceLine[];
}

export async function invoiceTotals(invoices: Invoice[]) {
  const totals = new Map<string, number>();
  for (const invoice of invoices) {
    const customer = await getCustomer(invoice.customerId); // expect: query-in-loop
    const gross = invoice.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    totals.set(invoice.id, gross * (1 - discountFor(customer)));
  }
  return totals;
}

export async function customerNames(invoices: Invoice[]) {
  const found = await Promise.all(invoices.map((invoice) => customers.getCustomer(invoice.customerId))); // expect: query-in-loop
  return found.map((customer) => customer?.name ?? 'unknown');
}

export async function skuStock(invoice: Invoice) {
  return Promise.all(
    invoice.lines.map(async (line) => {
      const { rows } = await pool.query('SELECT on_hand FROM stock WHERE sku = $1', [line.sku]); // expect: query-in-loop
      return { sku: line.sku, onHand: rows[0]?.on_hand ?? 0 };
    }),
  );
}

export async function saveLines(invoice: Invoice) {
  // One INSERT with a VALUES list built in the loop.
  const values: unknown[] = [];
  const tuples: string[] = [];
  invoice.lines.forEach((line, i) => {
    tuples.push(`($1, $${i * 3 + 2}, $${i * 3 + 3}, $${i * 3 + 4})`);
    values.push(line.sku, line.quantity, line.unitPrice);
  });
  await pool.query(
    `INSERT INTO invoice_lines (invoice_id, sku, quantity, unit_price) VALUES ${tuples.join(', ')}`,
    [invoice.id, ...values],
  );
}

export async function recordPayments(payments: { invoiceId: string; amount: number }[]) {
  await withTransaction(async (client: PoolClient) => {
    for (const payment of payments) {
      await client.query('INSERT INTO payments (invoice_id, amount) VALUES ($1, $2)', [payment.invoiceId, payment.amount]); // expect: query-in-loop
    }
  });
}

export async function fetchInvoiceWithRetry(id: string) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const { rows } = await pool.query('SELECT * FROM invoices WHERE id = $1', [id]);
      return rows[0];
    } catch (error) {
      if (attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export async function* allInvoices(pageSize = 500) {
  let lastId = '';
  while (true) {
    const { rows } = await pool.query('SELECT * FROM invoices WHERE id > $1 ORDER BY id LIMIT $2', [lastId, pageSize]);
    if (rows.length === 0) break;
    yield* rows;
    lastId = rows[rows.length - 1].id;
  }
}

export function reminderJobs(invoices: Invoice[]) {
  // Callbacks created per invoice and run later by the scheduler, not inside this loop.
  return invoices.map((invoice) => ({
    id: invoice.id,
    run: () => pool.query('UPDATE invoices SET reminded_at = now() WHERE id = $1', [invoice.id]),
  }));
}
