// @ts-nocheck
import { EventEmitter } from 'node:events';
import type { PoolClient } from 'pg';
import { pool, query } from './db';
import { loadUser, loadUsers, userLabel } from './users';

interface Order {
  id: number;
  user_id: number;
  total: number;
}

export async function ownerLabels(orders: Order[]) {
  const labels: string[] = [];
  for (const order of orders) {
    const user = await loadUser(order.user_id); // expect: query-in-loop
    labels.push(userLabel(user));
  }
  return labels;
}

export async function ownerLabelsBatched(orders: Order[]) {
  const users = await loadUsers(orders.map((order) => order.user_id));
  const byId = new Map(users.map((user) => [user.id, user]));
  return orders.map((order) => userLabel(byId.get(order.user_id)));
}

export async function totals(orderIds: number[]) {
  const result = [];
  for (let i = 0; i < orderIds.length; i++) {
    const rows = await query('SELECT sum(amount) AS total FROM order_lines WHERE order_id = $1', [orderIds[i]]); // expect: query-in-loop
    result.push(rows[0].total);
  }
  return result;
}

export async function usersOf(ids: number[]) {
  return Promise.all(ids.map(loadUser)); // expect: query-in-loop
}

export async function usersOfArrayFrom(ids: Set<number>) {
  return Promise.all(Array.from(ids, (id) => loadUser(id))); // expect: query-in-loop
}

export async function touch(orders: Order[]) {
  orders.forEach(async (order) => {
    await pool.query('UPDATE orders SET touched_at = now() WHERE id = $1', [order.id]); // expect: query-in-loop
  });
}

export async function grandTotal(orders: Order[]) {
  return orders.reduce(async (sumPromise, order) => {
    const sum = await sumPromise;
    const { rows } = await pool.query('SELECT tax FROM taxes WHERE order_id = $1', [order.id]); // expect: query-in-loop
    return sum + order.total + rows[0].tax;
  }, Promise.resolve(0));
}

export async function insertOrders(client: PoolClient, orders: Order[]) {
  await client.query('BEGIN');
  try {
    for (const order of orders) {
      await client.query('INSERT INTO orders (id, user_id, total) VALUES ($1, $2, $3)', [order.id, order.user_id, order.total]); // expect: query-in-loop
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

export async function insertOrdersBatched(orders: Order[]) {
  const params: unknown[] = [];
  const rows = orders.map((order, i) => {
    params.push(order.id, order.user_id, order.total);
    return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`;
  });
  await pool.query(`INSERT INTO orders (id, user_id, total) VALUES ${rows.join(', ')}`, params);
}

export async function loadWithRetry(id: number) {
  let attempt = 0;
  while (true) {
    try {
      return await pool.query('SELECT * FROM orders WHERE id = $1', [id]);
    } catch (error) {
      attempt++;
      if (attempt >= 3) throw error;
    }
  }
}

export async function exportAll(write: (rows: Order[]) => Promise<void>) {
  const pageSize = 1000;
  for (let offset = 0; ; offset += pageSize) {
    const { rows } = await pool.query('SELECT * FROM orders ORDER BY id LIMIT $1 OFFSET $2', [pageSize, offset]);
    if (rows.length === 0) return;
    await write(rows);
  }
}

export async function vacuumTables() {
  for (const table of ['orders', 'order_lines', 'users']) {
    await pool.query(`VACUUM ANALYZE ${table}`);
  }
}

export function watch(emitter: EventEmitter, channels: string[]) {
  for (const channel of channels) {
    emitter.on(channel, async (payload) => {
      await pool.query('INSERT INTO events (channel, payload) VALUES ($1, $2)', [channel, payload]);
    });
  }
}

export function scheduleCleanups(ids: number[]) {
  for (const id of ids) {
    setTimeout(() => pool.query('DELETE FROM carts WHERE id = $1', [id]), 60_000);
  }
}

export async function copyStream(source: AsyncIterable<Order>) {
  for await (const order of source) {
    await pool.query('INSERT INTO archive_orders SELECT * FROM orders WHERE id = $1', [order.id]); // expect: query-in-loop
  }
}

export async function matrix(teamIds: number[], days: string[]) {
  const cells = [];
  for (const teamId of teamIds) {
    for (const day of days) {
      const { rows } = await pool.query('SELECT count(*) FROM logins WHERE team_id = $1 AND day = $2', [teamId, day]); // expect: query-in-loop
      cells.push(rows[0].count);
    }
  }
  return cells;
}
