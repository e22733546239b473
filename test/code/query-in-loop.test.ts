import { describe, expect, it } from 'vitest';
import { CodeIndex } from '../../server/src/code/code-index';

/**
 * `query-in-loop` rule cases. Each case is a small workspace; a line that must be reported ends with
 * `// expect: query-in-loop`, and no other line may be reported.
 */
type Workspace = Record<string, string>;

function findingLines(files: Workspace, index = new CodeIndex()): Record<string, number[]> {
  for (const [name, text] of Object.entries(files)) index.update(`/ws/${name}`, text);
  const result: Record<string, number[]> = {};
  for (const name of Object.keys(files)) {
    const lines = index.findingsFor(`/ws/${name}`).map((finding) => finding.range.start.line);
    if (lines.length) result[name] = lines;
  }
  return result;
}

function expectedLines(files: Workspace): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  for (const [name, text] of Object.entries(files)) {
    const lines = text.split('\n').flatMap((line, i) => (/\/\/ expect: query-in-loop$/.test(line) ? [i] : []));
    if (lines.length) result[name] = lines;
  }
  return result;
}

const PG = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;

const invalid: [string, Workspace][] = [
  ['pg: pool.query in for…of', { 'a.ts': `${PG}export async function f(ids: number[]) {\n  for (const id of ids) {\n    await pool.query('SELECT * FROM t WHERE id = $1', [id]); // expect: query-in-loop\n  }\n}` }],
  ['pg: PoolClient parameter in while', { 'a.ts': `import type { PoolClient } from 'pg';\nexport async function f(client: PoolClient, ids: number[]) {\n  let i = 0;\n  while (i < ids.length) {\n    await client.query('DELETE FROM t WHERE id = $1', [ids[i++]]); // expect: query-in-loop\n  }\n}` }],
  ['pg: this.db field with a declared type', { 'a.ts': `import type { Pool } from 'pg';\nexport class Repo {\n  constructor(private readonly db: Pool) {}\n  async all(ids: number[]) {\n    return Promise.all(ids.map((id) => this.db.query('SELECT 1 FROM t WHERE id = $1', [id]))); // expect: query-in-loop\n  }\n}` }],
  ['postgres: sql tag in do…while', { 'a.ts': `import postgres from 'postgres';\nconst sql = postgres();\nexport async function f(ids: number[]) {\n  let i = 0;\n  do {\n    await sql\`update t set n = n + 1 where id = \${ids[i]}\`; // expect: query-in-loop\n    i++;\n  } while (i < ids.length);\n}` }],
  ['slonik: pool.one in for…in', { 'a.ts': `import { sql, type DatabasePool } from 'slonik';\nexport async function f(pool: DatabasePool, byKey: Record<string, number>) {\n  for (const key in byKey) {\n    await pool.one(sql.unsafe\`SELECT \${key}\`); // expect: query-in-loop\n  }\n}` }],
  ['kysely: executeTakeFirst in flatMap', { 'a.ts': `import { Kysely } from 'kysely';\nconst db = new Kysely<any>({} as any);\nexport function f(ids: number[]) {\n  return ids.flatMap(async (id) => [await db.selectFrom('t').selectAll().where('id', '=', id).executeTakeFirst()]); // expect: query-in-loop\n}` }],
  ['knex: awaited builder in some()', { 'a.ts': `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function f(ids: number[]) {\n  ids.some(async (id) => await db('t').where({ id }).first()); // expect: query-in-loop\n}` }],
  ['prisma: findUnique in every()', { 'a.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function f(ids: string[]) {\n  return ids.every(async (id) => !!(await prisma.user.findUnique({ where: { id } }))); // expect: query-in-loop\n}` }],
  ['prisma: $executeRaw in find()', { 'a.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function f(ids: string[]) {\n  return ids.find((id) => prisma.$executeRaw\`DELETE FROM t WHERE id = \${id}\`); // expect: query-in-loop\n}` }],
  ['drizzle: awaited select in filter()', { 'a.ts': `import { drizzle } from 'drizzle-orm/postgres-js';\nimport { eq } from 'drizzle-orm';\nconst db = drizzle('url');\nexport function f(ids: number[]) {\n  return ids.filter(async (id) => (await db.select().from(t).where(eq(t.id, id))).length > 0); // expect: query-in-loop\n}` }],
  ['typeorm: manager method in a transaction callback', { 'a.ts': `import { DataSource } from 'typeorm';\nconst ds = new DataSource({} as any);\nexport async function f(ids: number[]) {\n  await ds.transaction(async (manager) => {\n    for (const id of ids) await manager.delete(User, { id }); // expect: query-in-loop\n  });\n}` }],
  ['sequelize: model finder in reduce()', { 'a.ts': `import { Model } from 'sequelize';\nclass User extends Model {}\nexport function f(ids: number[]) {\n  return ids.reduce(async (acc, id) => [...(await acc), await User.findByPk(id)], Promise.resolve([])); // expect: query-in-loop\n}` }],
  ['a query function passed by reference', { 'a.ts': `${PG}async function load(id: number) {\n  return pool.query('SELECT * FROM t WHERE id = $1', [id]);\n}\nexport const all = (ids: number[]) => Promise.all(ids.map(load)); // expect: query-in-loop` }],
  ['Array.from with a mapping function', { 'a.ts': `${PG}export function f(ids: Set<number>) {\n  return Array.from(ids, (id) => pool.query('SELECT 1 FROM t WHERE id = $1', [id])); // expect: query-in-loop\n}` }],
  ['an awaited helper runs its callback per iteration', { 'a.ts': `${PG}async function withRetry<T>(work: () => Promise<T>) { return work(); }\nexport async function f(ids: number[]) {\n  for (const id of ids) await withRetry(() => pool.query('SELECT 1 FROM t WHERE id = $1', [id])); // expect: query-in-loop\n}` }],
  [
    'across files: named, default and namespace imports, re-exports',
    {
      'db.ts': `${PG}export { pool };`,
      'users.ts': `import { pool } from './db';\nexport async function loadUser(id: number) {\n  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n  return rows[0];\n}\nexport default loadUser;`,
      'index.ts': `export * from './users';\nexport { default as load } from './users';`,
      'orders.ts': `import { loadUser, load } from './index';\nimport fetchUser from './users';\nimport * as users from './users.js';\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    await loadUser(id); // expect: query-in-loop\n    await load(id); // expect: query-in-loop\n    await fetchUser(id); // expect: query-in-loop\n    await users.loadUser(id); // expect: query-in-loop\n  }\n}`,
    },
  ],
  [
    'across files: a method of an injected service',
    {
      'repo.ts': `import type { Knex } from 'knex';\nexport class Repo {\n  constructor(private readonly knex: Knex) {}\n  byId(id: number) {\n    return this.knex('t').where({ id }).first();\n  }\n}`,
      'service.ts': `import { Repo } from './repo';\nexport class Service {\n  constructor(private readonly repo: Repo) {}\n  async all(ids: number[]) {\n    const out = [];\n    for (const id of ids) out.push(await this.repo.byId(id)); // expect: query-in-loop\n    return out;\n  }\n}`,
    },
  ],
  ['CommonJS require and module.exports', { 'users.js': `const { Pool } = require('pg');\nconst pool = new Pool();\nexports.load = (id) => pool.query('SELECT 1 FROM t WHERE id = $1', [id]);`, 'main.js': `const { load } = require('./users');\nasync function f(ids) {\n  for (const id of ids) await load(id); // expect: query-in-loop\n}\nmodule.exports = { f };` }],
  ['untyped JavaScript: a db parameter and SQL text', { 'a.js': `async function f(db, ids) {\n  for (const id of ids) await db.query('SELECT * FROM t WHERE id = $1', [id]); // expect: query-in-loop\n}` }],
  ['recursion: a function that calls itself per child', { 'a.ts': `${PG}export async function tree(id: number): Promise<unknown> {\n  const { rows } = await pool.query('SELECT id FROM nodes WHERE parent = $1', [id]);\n  return Promise.all(rows.map((row) => tree(row.id))); // expect: query-in-loop\n}` }],
];

const valid: [string, Workspace][] = [
  ['one query after a loop that builds its SQL and parameters', { 'a.ts': `${PG}export async function f(rows: { a: number }[]) {\n  const values: number[] = [];\n  const tuples: string[] = [];\n  for (const row of rows) {\n    values.push(row.a);\n    tuples.push(\`($\${values.length})\`);\n  }\n  await pool.query(\`INSERT INTO t (a) VALUES \${tuples.join(', ')}\`, values);\n}` }],
  ['a retry loop around one query', { 'a.ts': `${PG}export async function f(id: number) {\n  for (let attempt = 1; attempt <= 3; attempt++) {\n    try {\n      return await pool.query('SELECT * FROM t WHERE id = $1', [id]);\n    } catch (error) {\n      if (attempt === 3) throw error;\n    }\n  }\n}` }],
  ['keyset pagination that stops on an empty page', { 'a.ts': `${PG}export async function* f() {\n  let last = 0;\n  while (true) {\n    const { rows } = await pool.query('SELECT * FROM t WHERE id > $1 ORDER BY id LIMIT 100', [last]);\n    if (rows.length === 0) break;\n    yield rows;\n    last = rows[rows.length - 1].id;\n  }\n}` }],
  ['transaction control inside a loop body', { 'a.ts': `import type { PoolClient } from 'pg';\nexport async function f(client: PoolClient, jobs: (() => Promise<void>)[]) {\n  for (const job of jobs) {\n    await client.query('BEGIN');\n    await job();\n    await client.query('COMMIT');\n  }\n}` }],
  ['a callback defined in a loop and run later', { 'a.ts': `${PG}export function f(ids: number[], emitter: { on(e: string, cb: () => void): void }) {\n  for (const id of ids) {\n    emitter.on('tick', () => pool.query('SELECT 1 FROM t WHERE id = $1', [id]));\n    setTimeout(() => pool.query('SELECT 2 FROM t WHERE id = $1', [id]), 10);\n  }\n}` }],
  ['a loop over a fixed list of constants', { 'a.ts': `${PG}export async function f() {\n  for (const table of ['a', 'b']) await pool.query(\`ANALYZE \${table}\`);\n}` }],
  ['one query per batch of keys', { 'a.ts': `${PG}export async function f(batches: number[][]) {\n  for (const batch of batches) await pool.query('DELETE FROM t WHERE id = ANY($1)', [batch]);\n}` }],
  ['query builders assembled in a loop, run once after it', { 'a.ts': `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function f(filters: Record<string, string>) {\n  let q = db('t');\n  for (const [k, v] of Object.entries(filters)) q = q.where(k, v);\n  return q;\n}` }],
  ['sql fragments built in a loop (postgres, slonik, drizzle)', { 'a.ts': `import postgres from 'postgres';\nconst sql = postgres();\nexport function f(filters: string[]) {\n  const parts = [];\n  for (const filter of filters) parts.push(sql\`and name = \${filter}\`);\n  return parts;\n}` }],
  ['calls that are not queries: HTTP, cache, logging', { 'a.ts': `import axios from 'axios';\nexport async function f(ids: number[], cache: Map<number, unknown>) {\n  for (const id of ids) {\n    await axios.get(\`/x/\${id}\`);\n    cache.get(id);\n    console.log(id);\n  }\n}` }],
  ['a function that does not query, called in a loop', { 'util.ts': `export function label(id: number) { return '#' + id; }`, 'a.ts': `import { label } from './util';\nexport function f(ids: number[]) {\n  return ids.map((id) => label(id));\n}` }],
  ['a query function called once, outside any loop', { 'a.ts': `${PG}async function load(ids: number[]) { return pool.query('SELECT * FROM t WHERE id = ANY($1)', [ids]); }\nexport const f = (ids: number[]) => load(ids);` }],
];

describe('query-in-loop rule', () => {
  it.each(invalid)('reports: %s', (_name, files) => {
    expect(findingLines(files)).toEqual(expectedLines(files));
  });

  it.each(valid)('does not report: %s', (_name, files) => {
    expect(findingLines(files)).toEqual({});
  });

  it('says what is wrong and what to do, points at the loop and the query reached, and shows the batched form', () => {
    const index = new CodeIndex();
    index.update('/ws/users.ts', `${PG}export async function loadUser(id: number) {\n  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n  return rows[0];\n}`);
    index.update('/ws/orders.ts', `import { loadUser } from './users';\nexport async function f(orders: { userId: number }[]) {\n  for (const order of orders) await loadUser(order.userId);\n}`);
    const [finding] = index.findingsFor('/ws/orders.ts');
    expect(finding).toMatchObject({
      file: '/ws/orders.ts',
      code: 'query-in-loop',
      severity: 'warning',
      range: { start: { line: 2, character: 36 }, end: { line: 2, character: 44 } },
    });
    expect(finding.message).toBe(
      '`loadUser` queries the database (`pool.query` in users.ts) once per iteration of this `for…of` loop (N+1 queries). Load the data for all items with one query before the loop and look it up by key.',
    );
    expect(finding.related).toEqual([
      { file: '/ws/orders.ts', range: { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } }, message: 'The `for…of` loop that repeats the query.' },
      { file: '/ws/users.ts', range: { start: { line: 3, character: 25 }, end: { line: 3, character: 35 } }, message: 'The query `loadUser` reaches: `pool.query`.' },
    ]);
    expect(finding.data?.batched).toContain("pool.query('SELECT * FROM users WHERE id = ANY($1)', [userIds])");
    expect(finding.data?.batched).toContain('const userIds = orders.map((order) => order.userId);');
    expect(finding.data?.via).toEqual(['loadUser']);
  });

  it('counts positions in UTF-16 code units', () => {
    const index = new CodeIndex();
    index.update('/ws/a.ts', `${PG}export async function f(ids: number[]) {\n  for (const id of ids) { const s = '🐘'; await pool.query('SELECT $1', [s + id]); }\n}`);
    const [finding] = index.findingsFor('/ws/a.ts');
    // The elephant is two UTF-16 code units: 48, where counting code points would give 47.
    expect(finding.range.start).toEqual({ line: 3, character: 48 });
  });

  it('honours `// pglens-ignore query-in-loop` on the line above', () => {
    const files = { 'a.ts': `${PG}export async function f(ids: number[]) {\n  for (const id of ids) {\n    // pglens-ignore query-in-loop\n    await pool.query('SELECT 1 FROM t WHERE id = $1', [id]);\n    await pool.query('SELECT 2 FROM t WHERE id = $1', [id]); // expect: query-in-loop\n  }\n}` };
    expect(findingLines(files)).toEqual(expectedLines(files));
  });

  it('treats queryInLoop.extraMethods as database calls, and follows rule severity settings', () => {
    const files = { 'a.ts': `import { runQuery } from '@acme/db';\nexport async function f(ids: number[]) {\n  for (const id of ids) await runQuery('x', id);\n}` };
    expect(findingLines(files)).toEqual({});
    const configured = new CodeIndex({ queryInLoop: { extraMethods: ['runQuery'] } });
    expect(findingLines(files, configured)).toEqual({ 'a.ts': [2] });
    configured.configure({ queryInLoop: { extraMethods: ['runQuery'] }, rules: { 'query-in-loop': 'error' } });
    expect(configured.findingsFor('/ws/a.ts')[0].severity).toBe('error');
    configured.configure({ queryInLoop: { extraMethods: ['runQuery'] }, rules: { 'query-in-loop': 'off' } });
    expect(configured.findingsFor('/ws/a.ts')).toEqual([]);
  });

  it('survives broken, binary and oversized files without losing the others', () => {
    const index = new CodeIndex({ maxFileBytes: 1000 });
    index.update('/ws/broken.ts', 'export async function f(ids) { for (const id of ids { await pool.query(');
    index.update('/ws/binary.ts', 'export const x = 1;\u0000\u0001');
    index.update('/ws/huge.ts', `// ${'x'.repeat(2000)}`);
    index.update('/ws/ok.ts', `${PG}export async function f(ids: number[]) {\n  for (const id of ids) await pool.query('SELECT 1 FROM t WHERE id = $1', [id]);\n}`);
    expect(index.findingsFor('/ws/broken.ts')).toBeInstanceOf(Array);
    expect(index.skipped('/ws/binary.ts')).toMatch(/binary/);
    expect(index.skipped('/ws/huge.ts')).toMatch(/larger than pglens.maxFileBytes/);
    expect(index.findingsFor('/ws/ok.ts')).toHaveLength(1);
    expect(index.update('/ws/notes.md', '# notes')).toEqual([]);
  });
});
