import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A generated TypeScript workspace for the `query-in-loop` benchmark: shared database modules (pg,
 * Prisma, Kysely), repositories of query functions, and services that call them — mostly batched, some
 * once per loop iteration (the N+1s, counted), with the usual loops that are not N+1s (paging, retries,
 * building SQL). Deterministic: the same arguments give the same files.
 */
export interface GeneratedWorkspace {
  files: string[];
  lines: number;
  /** N+1 call sites planted in the code (each should be found). */
  plantedNPlusOne: number;
}

type RepoKind = 'pg' | 'prisma' | 'kysely';

interface Repo {
  module: string;
  kind: RepoKind;
  functions: string[];
}

const ENTITIES = ['user', 'order', 'invoice', 'product', 'review', 'shipment', 'coupon', 'account', 'session', 'tag', 'comment', 'payment'];

export function generateWorkspace(root: string, fileCount = 1000, linesPerFile = 200): GeneratedWorkspace {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const files: string[] = [];
  let lines = 0;
  let planted = 0;
  const write = (path: string, text: string) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    files.push(full);
    lines += text.split('\n').length;
  };

  write('src/db/pg.ts', "import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });\n");
  write('src/db/prisma.ts', "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n");
  write('src/db/kysely.ts', "import { Kysely, PostgresDialect } from 'kysely';\nimport { Pool } from 'pg';\n\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool() }) });\n");

  const repos: Repo[] = [];
  for (let i = 0; files.length < fileCount; i++) {
    const isService = i % 10 >= 6 && repos.length >= 3;
    if (!isService) {
      const kind: RepoKind = (['pg', 'prisma', 'kysely'] as const)[i % 3];
      const entity = ENTITIES[i % ENTITIES.length];
      const module = `src/repos/${entity}-${kind}-${i}`;
      const { text, functions } = repositoryFile(kind, entity, i, linesPerFile);
      write(`${module}.ts`, text);
      repos.push({ module, kind, functions });
    } else {
      const used = [pick(repos), pick(repos), pick(repos)];
      const { text, nPlusOne } = serviceFile(i, used, linesPerFile, random);
      write(`src/services/service-${i}.ts`, text);
      planted += nPlusOne;
    }
  }
  return { files, lines, plantedNPlusOne: planted };
}

function repositoryFile(kind: RepoKind, entity: string, n: number, targetLines: number): { text: string; functions: string[] } {
  const table = `${entity}s_${n}`;
  const type = `${capitalise(entity)}Row${n}`;
  const out: string[] = [];
  if (kind === 'pg') out.push("import { pool } from '../db/pg';");
  if (kind === 'prisma') out.push("import { prisma } from '../db/prisma';");
  if (kind === 'kysely') out.push("import { db } from '../db/kysely';");
  out.push('', `export interface ${type} {`, '  id: number;', '  ownerId: number;', '  status: string;', '  createdAt: Date;', '}', '');
  const functions: string[] = [];
  for (let f = 0; out.length < targetLines - 12; f++) {
    const name = `${entity}${['ById', 'ByOwner', 'Count', 'Touch', 'Label', 'List'][f % 6]}${f}`;
    functions.push(name);
    out.push(`/** ${name}: part of the ${entity} data access. */`);
    switch (f % 6) {
      case 0:
        out.push(`export async function ${name}(id: number): Promise<${type} | undefined> {`);
        if (kind === 'pg') out.push(`  const { rows } = await pool.query('SELECT * FROM ${table} WHERE id = $1', [id]);`, '  return rows[0];');
        if (kind === 'prisma') out.push(`  return prisma.${entity}.findUnique({ where: { id } });`);
        if (kind === 'kysely') out.push(`  return db.selectFrom('${table}').selectAll().where('id', '=', id).executeTakeFirst();`);
        break;
      case 1:
        out.push(`export async function ${name}(ownerIds: number[]): Promise<${type}[]> {`);
        if (kind === 'pg') out.push(`  const { rows } = await pool.query('SELECT * FROM ${table} WHERE owner_id = ANY($1)', [ownerIds]);`, '  return rows;');
        if (kind === 'prisma') out.push(`  return prisma.${entity}.findMany({ where: { ownerId: { in: ownerIds } } });`);
        if (kind === 'kysely') out.push(`  return db.selectFrom('${table}').selectAll().where('owner_id', 'in', ownerIds).execute();`);
        break;
      case 2:
        out.push(`export async function ${name}(status: string): Promise<number> {`);
        if (kind === 'pg') out.push(`  const { rows } = await pool.query('SELECT count(*)::int AS n FROM ${table} WHERE status = $1', [status]);`, '  return rows[0].n;');
        if (kind === 'prisma') out.push(`  return prisma.${entity}.count({ where: { status } });`);
        if (kind === 'kysely') out.push(`  const row = await db.selectFrom('${table}').select((eb) => eb.fn.countAll().as('n')).where('status', '=', status).executeTakeFirst();`, '  return Number(row?.n ?? 0);');
        break;
      case 3:
        out.push(`export async function ${name}(ids: number[]): Promise<void> {`);
        if (kind === 'pg') out.push(`  await pool.query('UPDATE ${table} SET updated_at = now() WHERE id = ANY($1)', [ids]);`);
        if (kind === 'prisma') out.push(`  await prisma.${entity}.updateMany({ where: { id: { in: ids } }, data: { touchedAt: new Date() } });`);
        if (kind === 'kysely') out.push(`  await db.updateTable('${table}').set({ updated_at: new Date() }).where('id', 'in', ids).execute();`);
        break;
      case 4:
        out.push(`export function ${name}(row: ${type}): string {`, '  const parts: string[] = [];', '  for (const [key, value] of Object.entries(row)) {', "    parts.push(`${key}=${String(value)}`);", '  }', "  return parts.join(', ');");
        break;
      default:
        out.push(`export async function ${name}(): Promise<${type}[]> {`, `  const all: ${type}[] = [];`, '  let after = 0;', '  for (;;) {');
        if (kind === 'pg') out.push(`    const { rows } = await pool.query('SELECT * FROM ${table} WHERE id > $1 ORDER BY id LIMIT 500', [after]);`);
        if (kind === 'prisma') out.push(`    const rows = await prisma.${entity}.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: 500 });`);
        if (kind === 'kysely') out.push(`    const rows = await db.selectFrom('${table}').selectAll().where('id', '>', after).orderBy('id').limit(500).execute();`);
        out.push('    if (rows.length === 0) break;', '    all.push(...rows);', '    after = rows[rows.length - 1].id;', '  }', '  return all;');
    }
    out.push('}', '');
  }
  return { text: out.join('\n'), functions };
}

function serviceFile(n: number, repos: Repo[], targetLines: number, random: () => number): { text: string; nPlusOne: number } {
  const out: string[] = [];
  const aliases = repos.map((_, i) => `repo${i}`);
  repos.forEach((repo, i) => out.push(`import * as ${aliases[i]} from '../${repo.module.slice(4)}';`));
  out.push("import { pool } from '../db/pg';", '', `export interface Item${n} {`, '  id: number;', '  ownerId: number;', '  amount: number;', '}', '');
  out.push(`function sleep(ms: number) {`, '  return new Promise((resolve) => setTimeout(resolve, ms));', '}', '');
  let planted = 0;
  for (let f = 0; out.length < targetLines - 14; f++) {
    const r = Math.floor(random() * repos.length);
    const repo = repos[r];
    const alias = aliases[r];
    const byId = repo.functions.find((name) => /ById\d+$/.test(name)) ?? repo.functions[0];
    const byOwner = repo.functions.find((name) => /ByOwner\d+$/.test(name)) ?? repo.functions[0];
    const label = repo.functions.find((name) => /Label\d+$/.test(name));
    const name = `step${f}`;
    const shape = f % 8;
    if (shape === 0) {
      planted++;
      out.push(`export async function ${name}(items: Item${n}[]) {`, '  const found = [];', '  for (const item of items) {', `    found.push(await ${alias}.${byId}(item.id));`, '  }', '  return found;', '}', '');
    } else if (shape === 1) {
      planted++;
      out.push(`export async function ${name}(items: Item${n}[]) {`, `  return Promise.all(items.map((item) => ${alias}.${byId}(item.ownerId)));`, '}', '');
    } else if (shape === 2) {
      out.push(`export async function ${name}(items: Item${n}[]) {`, `  const rows = await ${alias}.${byOwner}(items.map((item) => item.ownerId));`, '  const byOwner = new Map(rows.map((row) => [row.ownerId, row]));', '  return items.map((item) => byOwner.get(item.ownerId));', '}', '');
    } else if (shape === 3) {
      out.push(`export async function ${name}(id: number) {`, '  for (let attempt = 1; attempt <= 3; attempt++) {', '    try {', `      return await ${alias}.${byId}(id);`, '    } catch (error) {', '      if (attempt === 3) throw error;', '      await sleep(100 * attempt);', '    }', '  }', '  return undefined;', '}', '');
    } else if (shape === 4) {
      out.push(`export async function ${name}(items: Item${n}[]) {`, '  const values: number[] = [];', '  const tuples: string[] = [];', '  for (const item of items) {', '    values.push(item.id, item.amount);', '    tuples.push(`($${values.length - 1}, $${values.length})`);', '  }', "  await pool.query(`INSERT INTO ledger (item_id, amount) VALUES ${tuples.join(', ')}`, values);", '}', '');
    } else if (shape === 5 && label) {
      out.push(`export function ${name}(rows: Parameters<typeof ${alias}.${label}>[0][]) {`, `  return rows.map((row) => ${alias}.${label}(row));`, '}', '');
    } else if (shape === 6) {
      planted++;
      out.push(`export async function ${name}(items: Item${n}[]) {`, '  let total = 0;', '  for (let i = 0; i < items.length; i++) {', "    const { rows } = await pool.query('SELECT amount FROM adjustments WHERE item_id = $1', [items[i].id]);", '    total += rows.reduce((sum, row) => sum + row.amount, 0);', '  }', '  return total;', '}', '');
    } else {
      out.push(`export function ${name}(items: Item${n}[]) {`, '  let total = 0;', '  for (const item of items) {', '    if (item.amount > 0) total += item.amount;', '    else total -= item.amount / 2;', '  }', '  return Math.round(total * 100) / 100;', '}', '');
    }
  }
  return { text: out.join('\n'), nPlusOne: planted };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
