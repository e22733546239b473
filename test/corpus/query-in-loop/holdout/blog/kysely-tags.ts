// @ts-nocheck
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { Pool } from 'pg';
import type { Database } from './schema';

export const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool() }) });

export async function ensureTags(names: string[]) {
  for (const name of names) {
    await db.insertInto('tag').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute(); // expect: query-in-loop
  }
}

export async function tagsByName(names: string[]) {
  if (names.length === 0) return [];
  return db.selectFrom('tag').selectAll().where('name', 'in', names).execute();
}

export async function search(filters: { column: 'title' | 'body'; term: string }[]) {
  let query = db.selectFrom('post').select(['id', 'title']);
  for (const filter of filters) {
    query = query.where(filter.column, 'ilike', `%${filter.term}%`);
  }
  return query.limit(50).execute();
}

export async function retag(postIds: number[], tagId: number) {
  await db.transaction().execute(async (trx: Transaction<Database>) => {
    for (const postId of postIds) {
      await trx.insertInto('post_tag').values({ post_id: postId, tag_id: tagId }).execute(); // expect: query-in-loop
    }
  });
}

export async function postTitles(ids: number[]) {
  const titles: (string | undefined)[] = [];
  for (const id of ids) {
    const row = await db // expect: query-in-loop
      .selectFrom('post')
      .select('title')
      .where('id', '=', id)
      .executeTakeFirst();
    titles.push(row?.title);
  }
  return titles;
}

export async function refreshStats() {
  for (const view of ['tag_counts', 'post_stats']) {
    await sql`REFRESH MATERIALIZED VIEW CONCURRENTLY ${sql.table(view)}`.execute(db);
  }
}
