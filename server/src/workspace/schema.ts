import { promises as fs } from 'node:fs';
import type { Catalog } from '../schema/catalog';
import { buildWorkspaceCatalog } from '../schema/workspace-catalog';
import { listSourceFiles } from './files';

/**
 * The schema a workspace declares in its .sql files, read in migration order. Paths compare
 * naturally ("2_" before "10_", timestamps in order), which is the order migration tools apply them.
 * `openTexts` (path → text) holds files open in an editor, whose unsaved text wins over the disk.
 */
export async function loadWorkspaceCatalog(root: string, openTexts?: ReadonlyMap<string, string>): Promise<Catalog> {
  const sqlFiles = (await listSourceFiles(root)).filter((file) => file.toLowerCase().endsWith('.sql'));
  sqlFiles.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const files = await Promise.all(
    sqlFiles.map(async (file) => ({ file, text: openTexts?.get(file) ?? (await fs.readFile(file, 'utf8').catch(() => '')) })),
  );
  return buildWorkspaceCatalog(files);
}
