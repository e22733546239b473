import ignore, { type Ignore } from 'ignore';
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { documentKind } from '../extract/index';

/** Folders never worth reading, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export class PathNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`Path does not exist: ${path}`);
  }
}

/**
 * Every file pglens reads (.sql and TypeScript/JavaScript) under `root`, in a stable order, honouring
 * .gitignore files at every level (as git does) and skipping node_modules. `root` may be a file.
 * Paths are returned joined onto `root` exactly as given, so output names files the way the user did.
 */
export async function listSourceFiles(root: string): Promise<string[]> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat) throw new PathNotFoundError(root);
  if (stat.isFile()) return [root];
  const found: string[] = [];
  await walk(root, root, [], found);
  return found;
}

interface ScopedIgnore {
  base: string;
  rules: Ignore;
}

async function walk(root: string, dir: string, scopes: ScopedIgnore[], found: string[]): Promise<void> {
  const gitignore = await fs.readFile(join(dir, '.gitignore'), 'utf8').catch(() => undefined);
  const active = gitignore === undefined ? scopes : [...scopes, { base: dir, rules: ignore().add(gitignore) }];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(active, path, true)) continue;
      await walk(root, path, active, found);
    } else if (entry.isFile() && documentKind(path) && !isIgnored(active, path, false)) {
      found.push(path);
    }
  }
}

function isIgnored(scopes: ScopedIgnore[], path: string, isDirectory: boolean): boolean {
  return scopes.some(({ base, rules }) => {
    const rel = relative(base, path).split(sep).join('/');
    return rel !== '' && rules.ignores(isDirectory ? `${rel}/` : rel);
  });
}
