import { join, resolve } from 'node:path';
import { exists, listNames, readText, type MigrationTool } from './migration';

/**
 * Which migration tool a workspace uses, and where its migrations live. A tool whose migrations
 * folder already exists wins over one only configured (a repository with `schema.prisma` but its
 * migrations as plain SQL files writes plain SQL); with nothing at all, a plain `migrations/` folder.
 */
export interface DetectedTool {
  tool: MigrationTool;
  /** The migrations folder, absolute. */
  folder: string;
  /** Tool-specific facts: Prisma's schema file, drizzle's journal, a package's module type. */
  schemaFile?: string;
  esm?: boolean;
}

/** Folders plain SQL migrations are commonly kept in, most specific first. */
const SQL_FOLDERS = ['db/migrations', 'database/migrations', 'sql/migrations', 'src/migrations', 'migrations/sql', 'migrations', 'db/migrate', 'sql'];

export async function detectMigrationTool(root: string): Promise<DetectedTool> {
  const base = resolve(root);
  const at = (...parts: string[]) => join(base, ...parts);
  const pkg = await packageJson(base);
  const deps = { ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) };
  const esm = pkg?.type === 'module';

  const prismaSchema = (await exists(at('prisma', 'schema.prisma'))) ? at('prisma', 'schema.prisma') : undefined;
  const drizzleConfig = await firstExisting(['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs', 'drizzle.config.json'].map((f) => at(f)));
  const drizzleFolder = drizzleConfig ? at(drizzleOut((await readText(drizzleConfig)) ?? '')) : at('drizzle');
  const knexfile = await firstExisting(['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs'].map((f) => at(f)));
  const knexFolder = at(knexfile ? knexDirectory((await readText(knexfile)) ?? '') : 'migrations');
  const pgMigrate = 'node-pg-migrate' in deps;
  const pgMigrateFolder = at(pgMigrateDirectory(pkg) ?? 'migrations');

  // Tools with migrations already written, most specific first.
  if (prismaSchema && (await exists(at('prisma', 'migrations')))) return { tool: 'prisma', folder: at('prisma', 'migrations'), schemaFile: prismaSchema };
  if (await exists(join(drizzleFolder, 'meta', '_journal.json'))) return { tool: 'drizzle', folder: drizzleFolder };
  if (await exists(at('supabase', 'migrations'))) return { tool: 'supabase', folder: at('supabase', 'migrations') };
  if (knexfile) return { tool: 'knex', folder: knexFolder, esm: esm || knexfile.endsWith('.mjs') };
  if (pgMigrate && !(await hasSqlFiles(pgMigrateFolder))) return { tool: 'node-pg-migrate', folder: pgMigrateFolder, esm };
  const sqlFolder = await findSqlFolder(base);
  if (sqlFolder) return sqlFolder;
  // Configured, nothing written yet.
  if (prismaSchema) return { tool: 'prisma', folder: at('prisma', 'migrations'), schemaFile: prismaSchema };
  if (drizzleConfig) return { tool: 'drizzle', folder: drizzleFolder };
  if (await exists(at('supabase', 'config.toml'))) return { tool: 'supabase', folder: at('supabase', 'migrations') };
  if (pgMigrate) return { tool: 'node-pg-migrate', folder: pgMigrateFolder, esm };
  return { tool: 'sql', folder: at('migrations') };
}

/** A folder of numbered or timestamped .sql files, and which SQL tool's conventions they follow. */
async function findSqlFolder(base: string): Promise<DetectedTool | undefined> {
  for (const relative of SQL_FOLDERS) {
    const folder = join(base, relative);
    const names = (await listNames(folder)).filter((name) => name.endsWith('.sql'));
    if (!names.some((name) => /^(\d+|V\d+(\.\d+)*__)/.test(name))) continue;
    if (names.some((name) => /^V\d+(\.\d+)*__/.test(name))) return { tool: 'flyway', folder };
    if (names.some((name) => /\.(up|down)\.sql$/.test(name))) return { tool: 'golang-migrate', folder };
    const sample = await readText(join(folder, names.sort()[0]));
    if (sample && /^--\s*migrate:up/m.test(sample)) return { tool: 'dbmate', folder };
    return { tool: 'sql', folder };
  }
  return undefined;
}

async function hasSqlFiles(folder: string): Promise<boolean> {
  return (await listNames(folder)).some((name) => name.endsWith('.sql'));
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const path of paths) if (await exists(path)) return path;
  return undefined;
}

interface PackageJson {
  type?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

async function packageJson(base: string): Promise<PackageJson | undefined> {
  const text = await readText(join(base, 'package.json'));
  if (!text) return undefined;
  try {
    return JSON.parse(text) as PackageJson;
  } catch {
    return undefined;
  }
}

/** drizzle.config's `out: './drizzle'` (the default when not found). */
function drizzleOut(config: string): string {
  return /\bout\s*:\s*['"`]([^'"`]+)['"`]/.exec(config)?.[1] ?? /"out"\s*:\s*"([^"]+)"/.exec(config)?.[1] ?? 'drizzle';
}

/** knexfile's `migrations: { directory: './db/migrations' }` (knex's default is ./migrations). */
function knexDirectory(config: string): string {
  return /\bdirectory\s*:\s*['"`]([^'"`]+)['"`]/.exec(config)?.[1] ?? 'migrations';
}

/** `node-pg-migrate … --migrations-dir X` / `-m X` in a package script. */
function pgMigrateDirectory(pkg: PackageJson | undefined): string | undefined {
  for (const script of Object.values(pkg?.scripts ?? {})) {
    if (!script.includes('node-pg-migrate')) continue;
    const match = /(?:--migrations-dir|-m)[ =]['"]?([^'"\s]+)/.exec(script);
    if (match) return match[1];
  }
  return undefined;
}
