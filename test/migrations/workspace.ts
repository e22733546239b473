import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { IndexDefinition } from '../../server/src/advisor/index-definition';
import type { MigrationPlan } from '../../server/src/migrations/migration';

/** A throw-away workspace folder holding `files`, removed by `remove()`. */
export interface TempWorkspace {
  root: string;
  /** Every file under the root with its content, for "nothing existing was touched". */
  snapshot(): Map<string, string>;
  /** Writes the plan's files the way an editor applies the fix: refusing to overwrite. */
  apply(plan: MigrationPlan): void;
  read(path: string): string;
  remove(): void;
}

export function tempWorkspace(files: Record<string, string>): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'pglens-migrations-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const walk = (dir: string, out: Map<string, string>) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, out);
      else out.set(relative(root, path), readFileSync(path, 'utf8'));
    }
    return out;
  };
  return {
    root,
    snapshot: () => walk(root, new Map()),
    apply(plan) {
      for (const creation of plan.files) {
        mkdirSync(dirname(creation.file), { recursive: true });
        writeFileSync(creation.file, creation.content, { flag: 'wx' });
      }
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The files a plan creates, relative to the workspace root. */
export function createdPaths(plan: MigrationPlan, root: string): string[] {
  return plan.files.map((file) => relative(root, file.file));
}

/** `orders (customer_id, created_at DESC)`: the index most tests write a migration for. */
export const ORDERS_INDEX: IndexDefinition = {
  schema: 'public',
  table: 'orders',
  keys: [
    { sql: 'customer_id', column: 'customer_id', columns: ['customer_id'] },
    { sql: 'created_at', column: 'created_at', columns: ['created_at'], descending: true },
  ],
  include: [],
};

export const NOW = new Date(Date.UTC(2025, 2, 14, 9, 26, 53, 589));
