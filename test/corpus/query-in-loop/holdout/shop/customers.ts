// @ts-nocheck
import { pool } from './db';

export interface Customer {
  id: string;
  name: string;
  tier: 'basic' | 'gold';
}

export async function getCustomer(id: string): Promise<Customer | undefined> {
  const { rows } = await pool.query<Customer>('SELECT id, name, tier FROM customers WHERE id = $1', [id]);
  return rows[0];
}

export function discountFor(customer: Customer | undefined): number {
  return customer?.tier === 'gold' ? 0.1 : 0;
}

export default async function customerCount(): Promise<number> {
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM customers');
  return rows[0].n;
}
