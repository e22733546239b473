/**
 * Finds the schema a workspace declares, as the ordered list of SQL files to apply. The first layout
 * found wins, in this order:
 *
 *   1. Prisma     prisma/migrations/<folder>/migration.sql, by folder name
 *   2. Supabase   supabase/migrations/*.sql, by file name
 *   3. Drizzle    the `out` folder of drizzle.config.* (default drizzle/): *.sql in the order of
 *                 meta/_journal.json when present, else by file name
 *   4. Plain SQL  the first of PLAIN_FOLDERS holding SQL: *.sql by natural name order ("2_" before
 *                 "10_", timestamps in order), or <folder>/up.sql per migration folder (Diesel style).
 *                 When any *.up.sql exists only those are applied; down/undo/rollback files never are;
 *                 Flyway repeatable migrations (R__*.sql) run after the versioned ones.
 *   5. Schema     the first of SCHEMA_FILES that exists
 *
 * Single files holding both directions (dbmate `-- migrate:down`, goose `-- +goose Down`) are cut at
 * the down marker by `readMigrationSql`. Everything is sorted with a locale-free natural order, so the
 * result is the same on every machine.
 */
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compareNatural } from '../../text/natural-order';

export type MigrationTool = 'prisma' | 'supabase' | 'drizzle' | 'sql' | 'schema';

export interface MigrationFile {
  /** Absolute (or root-joined) path to read. */
  path: string;
  /** Path relative to the workspace root with `/` separators, for messages. */
  name: string;
}

export interface MigrationSource {
  tool: MigrationTool | 'none';
  /** The folder or file the schema came from, relative to the root; absent when none was found. */
  location?: string;
  files: MigrationFile[];
}

export const PLAIN_FOLDERS = [
  'migrations',
  'db/migrations',
  'sql/migrations',
  'database/migrations',
  'db/migration',
  'src/migrations',
  'src/db/migrations',
  'src/main/resources/db/migration',
];

export const SCHEMA_FILES = ['schema.sql', 'db/schema.sql', 'sql/schema.sql', 'database/schema.sql', 'db/structure.sql'];

const DRIZZLE_CONFIGS = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs', 'drizzle.config.json'];

const DOWN_FILE = /(^|[._-])(down|undo|rollback|revert)\.sql$/i;
const FLYWAY_UNDO = /^U\d[^/]*__.*\.sql$/;
const FLYWAY_REPEATABLE = /^R__.*\.sql$/;

export async function discoverMigrations(root: string): Promise<MigrationSource> {
  const finders = [findPrisma, findSupabase, findDrizzle, findPlain, findSchemaFile];
  for (const find of finders) {
    const found = await find(root);
    if (found && found.files.length > 0) return found;
  }
  return { tool: 'none', files: [] };
}

/** A migration file's SQL, cut before a dbmate or goose down section. */
export async function readMigrationSql(file: MigrationFile): Promise<string> {
  const text = await fs.readFile(file.path, 'utf8');
  const down = /^--\s*(migrate:down|\+goose\s+down)\b.*$/im.exec(text);
  return down ? text.slice(0, down.index) : text;
}

async function findPrisma(root: string): Promise<MigrationSource | undefined> {
  const dir = join(root, 'prisma', 'migrations');
  const folders = (await listDir(dir)).filter((e) => e.isDirectory()).map((e) => e.name).sort(compareNatural);
  const files: MigrationFile[] = [];
  for (const folder of folders) {
    const path = join(dir, folder, 'migration.sql');
    if (await isFile(path)) files.push(toFile(root, path));
  }
  return { tool: 'prisma', location: 'prisma/migrations', files };
}

async function findSupabase(root: string): Promise<MigrationSource | undefined> {
  const dir = join(root, 'supabase', 'migrations');
  return { tool: 'supabase', location: 'supabase/migrations', files: await sqlFilesIn(root, dir) };
}

async function findDrizzle(root: string): Promise<MigrationSource | undefined> {
  let out: string | undefined;
  let configured = false;
  for (const name of DRIZZLE_CONFIGS) {
    const text = await fs.readFile(join(root, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    configured = true;
    out = /["']?\bout["']?\s*:\s*(["'`])([^"'`]+)\1/.exec(text)?.[2];
    break;
  }
  const folder = normalizeFolder(out ?? 'drizzle');
  if (!configured && !(await isDirectory(join(root, folder)))) return undefined;
  const dir = join(root, folder);
  const journal = await readDrizzleJournal(dir);
  if (journal) {
    const files: MigrationFile[] = [];
    for (const tag of journal) {
      const path = join(dir, `${tag}.sql`);
      if (await isFile(path)) files.push(toFile(root, path));
    }
    if (files.length > 0) return { tool: 'drizzle', location: folder, files };
  }
  return { tool: 'drizzle', location: folder, files: await sqlFilesIn(root, dir) };
}

async function readDrizzleJournal(dir: string): Promise<string[] | undefined> {
  const text = await fs.readFile(join(dir, 'meta', '_journal.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const journal = JSON.parse(text) as { entries?: { idx?: number; tag?: string }[] };
    const entries = (journal.entries ?? []).filter((e): e is { idx?: number; tag: string } => typeof e.tag === 'string');
    return entries.sort((a, b) => (a.idx ?? 0) - (b.idx ?? 0)).map((e) => e.tag);
  } catch {
    return undefined; // a broken journal: fall back to file names
  }
}

async function findPlain(root: string): Promise<MigrationSource | undefined> {
  for (const folder of PLAIN_FOLDERS) {
    const dir = join(root, ...folder.split('/'));
    const files = await plainMigrationFiles(root, dir);
    if (files.length > 0) return { tool: 'sql', location: folder, files };
  }
  return undefined;
}

async function plainMigrationFiles(root: string, dir: string): Promise<MigrationFile[]> {
  const entries = await listDir(dir);
  const names = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql')).map((e) => e.name);
  const hasUpFiles = names.some((n) => /\.up\.sql$/i.test(n));
  const chosen = names
    .filter((n) => (hasUpFiles ? /\.up\.sql$/i.test(n) : !DOWN_FILE.test(n) && !FLYWAY_UNDO.test(n)))
    .map((n) => ({ key: n, path: join(dir, n) }));
  // One folder per migration holding up.sql (Diesel) or migration.sql.
  for (const folder of entries.filter((e) => e.isDirectory())) {
    for (const inner of ['up.sql', 'migration.sql']) {
      const path = join(dir, folder.name, inner);
      if (await isFile(path)) {
        chosen.push({ key: folder.name, path });
        break;
      }
    }
  }
  chosen.sort((a, b) => {
    const repeatable = Number(FLYWAY_REPEATABLE.test(a.key)) - Number(FLYWAY_REPEATABLE.test(b.key));
    return repeatable !== 0 ? repeatable : compareNatural(a.key, b.key);
  });
  return chosen.map((c) => toFile(root, c.path));
}

async function findSchemaFile(root: string): Promise<MigrationSource | undefined> {
  for (const name of SCHEMA_FILES) {
    const path = join(root, ...name.split('/'));
    if (await isFile(path)) return { tool: 'schema', location: name, files: [toFile(root, path)] };
  }
  return undefined;
}

async function sqlFilesIn(root: string, dir: string): Promise<MigrationFile[]> {
  const names = (await listDir(dir))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql') && !DOWN_FILE.test(e.name))
    .map((e) => e.name)
    .sort(compareNatural);
  return names.map((n) => toFile(root, join(dir, n)));
}

function normalizeFolder(folder: string): string {
  return folder.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

function toFile(root: string, path: string): MigrationFile {
  return { path, name: relative(root, path).split(sep).join('/') };
}

async function listDir(dir: string) {
  return fs.readdir(dir, { withFileTypes: true }).catch(() => []);
}

async function isFile(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
