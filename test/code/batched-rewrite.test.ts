import { describe, expect, it } from 'vitest';
import { batchSql } from '../../server/src/code/batched-rewrite';
import { CodeIndex } from '../../server/src/code/code-index';

/** The batched form in `data.batched` for a one-file workspace with one N+1. */
function batched(text: string, file = '/ws/a.ts'): string {
  const index = new CodeIndex();
  index.update(file, text);
  const findings = index.findingsFor(file);
  expect(findings).toHaveLength(1);
  return String(findings[0].data?.batched);
}

describe('batchedRewrite', () => {
  it('turns `col = $n` into `col = ANY($n)`, drops LIMIT 1, and groups single-row aggregates', () => {
    expect(batchSql('SELECT * FROM users WHERE id = $1 LIMIT 1', 1)).toBe('SELECT * FROM users WHERE id = ANY($1)');
    expect(batchSql('SELECT * FROM t WHERE org = $1 AND "userId" = $2', 2)).toBe('SELECT * FROM t WHERE org = $1 AND "userId" = ANY($2)');
    expect(batchSql('SELECT count(*) FROM likes WHERE post_id = $1', 1)).toBe('SELECT post_id, count(*) FROM likes WHERE post_id = ANY($1) GROUP BY post_id');
    expect(batchSql('SELECT * FROM t WHERE id > $1', 1)).toBeUndefined();
  });

  it('pg: one parameterised query with the keys as an array, rows mapped back by key', () => {
    const text = `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(orders: { userId: number }[]) {\n  for (const order of orders) await pool.query('SELECT * FROM users WHERE id = $1', [order.userId]);\n}`;
    expect(batched(text)).toContain(
      [
        '```ts',
        'const userIds = orders.map((order) => order.userId);',
        "const { rows } = await pool.query('SELECT * FROM users WHERE id = ANY($1)', [userIds]);",
        'const byId = new Map<unknown, (typeof rows)[number][]>();',
      ].join('\n'),
    );
  });

  it('prisma: findMany with `in`, and a hint to include the relation', () => {
    const text = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function f(posts: { authorId: string }[]) {\n  for (const post of posts) await prisma.user.findUnique({ where: { id: post.authorId } });\n}`;
    const hover = batched(text);
    expect(hover).toContain('const rows = await prisma.user.findMany({ where: { id: { in: authorIds } } });');
    expect(hover).toContain('const byId = new Map(rows.map((row) => [row.id, row]));');
    const relation = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function f(ids: string[]) {\n  for (const authorId of ids) await prisma.post.findMany({ where: { authorId } });\n}`;
    expect(batched(relation)).toContain('`include: { author: true }`');
  });

  it('knex whereIn, kysely `in`, drizzle inArray, typeorm In, sequelize arrays, postgres sql(…)', () => {
    expect(batched(`import knex from 'knex';\nconst db = knex({});\nexport async function f(skus: string[]) {\n  for (const sku of skus) await db('stock').where({ sku }).first();\n}`)).toContain("const rows = await db('stock').whereIn('sku', skus);");
    expect(batched(`import { Kysely } from 'kysely';\nconst db = new Kysely<any>({} as any);\nexport async function f(ids: number[]) {\n  for (const id of ids) await db.selectFrom('post').selectAll().where('id', '=', id).execute();\n}`)).toContain("const rows = await db.selectFrom('post').selectAll().where('id', 'in', ids).execute();");
    expect(batched(`import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nconst db = drizzle('x');\nexport async function f(ids: number[]) {\n  for (const id of ids) await db.select().from(users).where(eq(users.id, id));\n}`)).toContain('const rows = await db.select().from(users).where(inArray(users.id, ids));');
    expect(batched(`import type { Repository } from 'typeorm';\nexport async function f(repo: Repository<User>, ids: number[]) {\n  for (const id of ids) await repo.findOneBy({ id });\n}`)).toContain('const rows = await repo.findBy({ id: In(ids) });');
    expect(batched(`import { Model } from 'sequelize';\nclass User extends Model {}\nexport async function f(ids: number[]) {\n  for (const id of ids) await User.findByPk(id);\n}`)).toContain('const rows = await User.findAll({ where: { id: ids } });');
    expect(batched(`import postgres from 'postgres';\nconst sql = postgres();\nexport async function f(ids: number[]) {\n  for (const id of ids) await sql\`select * from jobs where id = \${id}\`;\n}`)).toContain('const rows = await sql`select * from jobs where id in ${sql(ids)}`;');
  });

  it('shows no code when more than the key changes per item, and says what to do instead', () => {
    const hover = batched(`import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(rows: { id: number; n: number }[]) {\n  for (const row of rows) await pool.query('UPDATE t SET n = $2 WHERE id = $1', [row.id, row.n]);\n}`);
    expect(hover).not.toContain('```');
    expect(hover).toContain('unnest(');
  });
});
