// @ts-nocheck
import { one, query } from './db';

export interface User {
  id: number;
  email: string;
  team_id: number;
}

export function loadUser(id: number) {
  return one<User>('SELECT id, email, team_id FROM users WHERE id = $1', [id]);
}

export function loadUsers(ids: number[]) {
  return query<User>('SELECT id, email, team_id FROM users WHERE id = ANY($1)', [ids]);
}

export function userLabel(user: User) {
  return `${user.email} (#${user.id})`;
}
