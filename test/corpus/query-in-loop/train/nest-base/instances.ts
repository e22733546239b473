// @ts-nocheck
import knex from 'knex';
import { InvoiceRepository } from './invoice.repository';

export const invoiceRepository = new InvoiceRepository(knex({ client: 'pg' }));
