import { scanSync } from 'libpg-query';

/**
 * Identifiers as PostgreSQL reads and writes them. Names in the AST and the catalog are already folded
 * (unquoted lower-cased); `quoteIdent` turns such a name back into SQL text, quoting exactly when
 * PostgreSQL's own `quote_ident` would: upper case or unusual characters, or a keyword that is not
 * unreserved (`user`, `order`, `select`…).
 */
const PLAIN = /^[a-z_][a-z0-9_$]*$/;
const keywordCache = new Map<string, boolean>();

export function quoteIdent(name: string): string {
  if (PLAIN.test(name) && !isReservedWord(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` with each part quoted as needed; the schema is left out when absent. */
export function quoteQualified(name: string, schema?: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** True for keywords that cannot stand as a bare column name (anything but an unreserved keyword). */
function isReservedWord(word: string): boolean {
  let reserved = keywordCache.get(word);
  if (reserved === undefined) {
    let kind: number | undefined;
    try {
      kind = scanSync(word).tokens[0]?.keywordKind;
    } catch {
      kind = undefined;
    }
    // 0: not a keyword; 1: unreserved keyword (usable as a column name).
    reserved = kind !== undefined && kind > 1;
    keywordCache.set(word, reserved);
  }
  return reserved;
}
