import { promises as fs } from 'node:fs';
import type { FileCreation, TextChange } from '../finding';
import type { IndexDefinition } from '../advisor/index-definition';

/**
 * What the migration writer produces for one index: new files in the workspace's migration format
 * (never an existing one), notes the user must read (a journal entry to add, a transaction caveat),
 * and, where the tool keeps a schema file too (Prisma), an edit suggested apart.
 */
export type MigrationTool = 'sql' | 'dbmate' | 'flyway' | 'golang-migrate' | 'node-pg-migrate' | 'knex' | 'prisma' | 'drizzle' | 'supabase';

export interface MigrationRequest {
  index: IndexDefinition;
  /** Lines for the file's header comment (what the index is for, the costs). */
  comment?: string[];
  /** Used for timestamps; default now. */
  now?: Date;
}

export interface MigrationPlan {
  tool: MigrationTool;
  /** The migrations folder (absolute). */
  folder: string;
  files: FileCreation[];
  notes: string[];
  /** A further, separate suggestion: the same index declared in the schema file (Prisma's `@@index`). */
  schemaEdit?: { title: string; edits: TextChange[] };
}

/** Read access to the workspace, as the writer needs it. */
export async function listNames(folder: string): Promise<string[]> {
  return fs.readdir(folder).catch(() => [] as string[]);
}

export async function exists(path: string): Promise<boolean> {
  return fs.stat(path).then(
    () => true,
    () => false,
  );
}

export async function readText(path: string): Promise<string | undefined> {
  return fs.readFile(path, 'utf8').catch(() => undefined);
}

/** `add_orders_customer_id_idx`, in the word separator the folder uses. */
export function migrationName(indexName: string, separator: '_' | '-' = '_'): string {
  const name = `add_${indexName}`.replace(/_idx$/, '_index');
  return separator === '-' ? name.replace(/_/g, '-') : name;
}

/** SQL comment lines (`-- …`) for a header. */
export function sqlComment(lines: readonly string[] | undefined): string {
  return (lines ?? []).map((line) => `-- ${line}`.trimEnd()).join('\n') + (lines?.length ? '\n' : '');
}

/** JS comment lines (`// …`) for a header. */
export function jsComment(lines: readonly string[] | undefined): string {
  return (lines ?? []).map((line) => `// ${line}`.trimEnd()).join('\n') + (lines?.length ? '\n' : '');
}

/** A path that does not exist yet: `name.sql`, else `name_2.sql`, … (a fix never overwrites). */
export async function freePath(make: (suffix: string) => string): Promise<string> {
  for (let n = 1; ; n++) {
    const path = make(n === 1 ? '' : `_${n}`);
    if (!(await exists(path))) return path;
  }
}
