import { extname } from 'node:path';
import type { SqlRegion } from './region';
import { extractSqlFile } from './sql-file';
import { extractFromTypeScript } from './typescript';

export type DocumentKind = 'sql' | 'script';

const SCRIPT_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

/** Which extractor reads a file, by its extension; undefined for files pglens does not read. */
export function documentKind(file: string): DocumentKind | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.sql') return 'sql';
  if (SCRIPT_EXTENSIONS.has(extension) && !file.endsWith('.d.ts')) return 'script';
  return undefined;
}

/** Every SQL region of a document, in document order. */
export function extractRegions(file: string, text: string): SqlRegion[] {
  switch (documentKind(file)) {
    case 'sql':
      return extractSqlFile(text);
    case 'script':
      return extractFromTypeScript(file, text);
    default:
      return [];
  }
}
