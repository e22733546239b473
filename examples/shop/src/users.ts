import { pool } from './db';

export interface User {
  id: number;
  email: string;
  full_name: string;
  plan: 'free' | 'plus' | 'business';
}

export async function getUserById(id: number): Promise<User | undefined> {
  const { rows } = await pool.query<User>('SELECT id, email, full_name, plan FROM users WHERE id = $1', [id]);
  return rows[0];
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  const { rows } = await pool.query<User>(
    'SELECT id, email, full_name, plan FROM users WHERE email = $1',
    [email.trim().toLowerCase()],
  );
  return rows[0];
}

/** Admin screen: every customer, newest first. */
export async function listUsers() {
  const { rows } = await pool.query('SELECT * FROM users ORDER BY created_at DESC');
  return rows;
}

const SORTABLE = { newest: 'created_at DESC', name: 'full_name ASC', lastSeen: 'last_login_at DESC NULLS LAST' } as const;

export async function usersOnPlan(plan: User['plan'], sort: keyof typeof SORTABLE, page: number, pageSize = 25) {
  const offset = (page - 1) * pageSize;
  const { rows } = await pool.query<User>(
    `SELECT id, email, full_name, plan
       FROM users
      WHERE plan = $1
      ORDER BY ${SORTABLE[sort]}
      LIMIT ${pageSize} OFFSET ${offset}`,
    [plan],
  );
  return rows;
}

export async function hasOrdered(userId: number): Promise<boolean> {
  const { rows } = await pool.query<{ ordered: boolean }>(
    'SELECT EXISTS (SELECT * FROM orders WHERE user_id = $1) AS ordered',
    [userId],
  );
  return rows[0].ordered;
}

export async function createUser(email: string, fullName: string, referredBy?: number): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    'INSERT INTO users (email, full_name, referred_by) VALUES ($1, $2, $3) RETURNING id',
    [email.trim().toLowerCase(), fullName, referredBy ?? null],
  );
  return rows[0].id;
}

export async function recordLogin(userId: number): Promise<void> {
  await pool.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);
}

/** Customers who signed up in a period, for the growth dashboard. */
export async function signupsSince(since: Date) {
  const { rows } = await pool.query<{ day: string; signups: number }>(
    `SELECT date_trunc('day', created_at) AS day, count(*) AS signups
       FROM users
      WHERE created_at >= $1
      GROUP BY 1
      ORDER BY 1`,
    [since],
  );
  return rows;
}
