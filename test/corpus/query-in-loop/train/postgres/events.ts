// @ts-nocheck
import sql from './sql';

export async function recordAll(events: { type: string; payload: unknown }[]) {
  for (const event of events) {
    await sql`insert into events (type, payload) values (${event.type}, ${sql.json(event.payload)})`; // expect: query-in-loop
  }
}

export async function recordAllBatched(events: { type: string; payload: unknown }[]) {
  await sql`insert into events ${sql(events, 'type', 'payload')}`;
}

export async function search(filters: { type?: string; since?: Date; until?: Date }) {
  const conditions = [];
  if (filters.type) conditions.push(sql`type = ${filters.type}`);
  if (filters.since) conditions.push(sql`created_at >= ${filters.since}`);
  for (const key of ['until']) {
    if (filters[key]) conditions.push(sql`created_at < ${filters[key]}`);
  }
  return sql`select * from events where ${conditions.reduce((a, b) => sql`${a} and ${b}`)}`;
}

export async function runScripts(scripts: string[]) {
  for (const script of scripts) {
    await sql.unsafe(script); // expect: query-in-loop
  }
}

export async function moveAll(ids: number[], target: string) {
  await sql.begin(async (sql) => {
    for (const id of ids) {
      await sql`update events set stream = ${target} where id = ${id}`; // expect: query-in-loop
    }
  });
}

export async function fetchWithRetry(id: number, maxRetries = 3) {
  let tries = 0;
  while (tries < maxRetries) {
    try {
      const [row] = await sql`select * from events where id = ${id}`;
      return row;
    } catch (error) {
      tries += 1;
    }
  }
  throw new Error('unreachable');
}

export async function streamTypes(types: string[]) {
  return Promise.all(types.map((type) => sql`select count(*) from events where type = ${type}`)); // expect: query-in-loop
}
