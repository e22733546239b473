import { dirname, extname, join, normalize } from 'node:path';

/**
 * Which workspace file a relative import names, the way TypeScript's and Node's resolution would find
 * it: `./users` → users.ts, users.tsx, …, users.js, or users/index.ts; `./users.js` → users.ts first
 * (TypeScript's ESM convention), then users.js. Files are keyed by their path without extension.
 */
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isScriptFile(file: string): boolean {
  return EXTENSIONS.includes(extname(file).toLowerCase()) && !/\.d\.[mc]?ts$/i.test(file);
}

function stripExtension(path: string): string {
  const extension = extname(path);
  return EXTENSIONS.includes(extension.toLowerCase()) ? path.slice(0, -extension.length) : path;
}

/** Keys a file answers to: its path without extension, and its folder for an index file. */
export function moduleKeysOf(file: string): string[] {
  const base = stripExtension(normalize(file));
  const keys = [base];
  if (/[\\/]index$/.test(base)) keys.push(dirname(base));
  return keys;
}

/** The key a relative specifier names from `fromFile`. */
export function importKey(fromFile: string, specifier: string): string {
  return stripExtension(normalize(join(dirname(fromFile), specifier)));
}

export class ModuleTable {
  private readonly byKey = new Map<string, Set<string>>();

  add(file: string): void {
    for (const key of moduleKeysOf(file)) {
      let files = this.byKey.get(key);
      if (!files) this.byKey.set(key, (files = new Set()));
      files.add(file);
    }
  }

  remove(file: string): void {
    for (const key of moduleKeysOf(file)) {
      const files = this.byKey.get(key);
      files?.delete(file);
      if (files?.size === 0) this.byKey.delete(key);
    }
  }

  /** The file a relative import resolves to, or undefined (a package, or a file not in the workspace). */
  resolve(fromFile: string, specifier: string): string | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const key = importKey(fromFile, specifier);
    const candidates = this.byKey.get(key);
    if (!candidates || candidates.size === 0) return undefined;
    let best: string | undefined;
    let bestRank = Infinity;
    for (const file of candidates) {
      const direct = stripExtension(normalize(file)) === key;
      const rank = (direct ? 0 : 100) + EXTENSIONS.indexOf(extname(file).toLowerCase());
      if (rank < bestRank) {
        best = file;
        bestRank = rank;
      }
    }
    return best;
  }
}
