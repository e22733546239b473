import { promises as fs } from 'node:fs';
import type { Catalog } from '../schema/catalog';
import { orderMigrationFiles } from '../schema/migration-order';
import { buildWorkspaceCatalog } from '../schema/workspace-catalog';
import { loadParser } from '../sql/parse';
import { listSourceFiles } from './files';

/**
 * The schema a workspace declares in its .sql files, read in migration order. Paths compare
 * naturally ("2_" before "10_", timestamps in order), which is the order migration tools apply them;
 * down migrations are left out.
 * `openTexts` (path → text) holds files open in an editor, whose unsaved text wins over the disk.
 */
export async function loadWorkspaceCatalog(root: string, openTexts?: ReadonlyMap<string, string>): Promise<Catalog> {
  const sqlFiles = orderMigrationFiles((await listSourceFiles(root)).filter((file) => file.toLowerCase().endsWith('.sql')));
  const files = await Promise.all(
    sqlFiles.map(async (file) => ({ file, text: openTexts?.get(file) ?? (await fs.readFile(file, 'utf8').catch(() => '')) })),
  );
  await loadParser();
  return buildWorkspaceCatalog(files);
}
