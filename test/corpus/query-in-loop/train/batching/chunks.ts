// @ts-nocheck
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';
import { fetchPage } from './paging';

const pool = new Pool();
const prisma = new PrismaClient();

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export async function deactivate(ids: number[]) {
  for (const batch of chunk(ids, 500)) {
    await pool.query('UPDATE users SET active = false WHERE id = ANY($1)', [batch]);
  }
}

export async function copyUsers(rows: { id: number; email: string }[]) {
  for (const part of chunk(rows, 1000)) {
    await prisma.user.createMany({ data: part, skipDuplicates: true });
  }
}

export async function mailAll(ids: number[]) {
  return Promise.all(chunk(ids, 100).map((group) => prisma.user.findMany({ where: { id: { in: group } } })));
}

export async function everyCustomer(visit: (row: unknown) => void) {
  let after = 0;
  for (;;) {
    const page = await fetchPage(after);
    if (page.length === 0) break;
    page.forEach(visit);
    after = page[page.length - 1].id;
  }
}

export async function perCustomer(ids: number[]) {
  for (const id of ids) {
    await fetchPage(id); // expect: query-in-loop
  }
}
