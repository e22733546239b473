import { scanSync } from 'libpg-query';
import { byteToUtf16 } from './parse';

/**
 * The tokens of a piece of SQL from PostgreSQL's own lexer, comments left out, with UTF-16 offsets
 * and parenthesis depth. Rules use them to place findings on keywords the AST has no location for
 * (SELECT, FOR UPDATE) and to find where a clause ends.
 */
export interface SqlToken {
  /** UTF-16 offsets into the text given to `tokenize` (shifted by its `base`). */
  start: number;
  end: number;
  /** The token as written. */
  text: string;
  /** Upper-cased text for keywords, so `select` and `SELECT` compare equal; undefined otherwise. */
  keyword?: string;
  /** Parentheses and brackets open around the token (an opening parenthesis counts outside itself). */
  depth: number;
}

const COMMENTS = new Set(['SQL_COMMENT', 'C_COMMENT']);

/**
 * Tokens of `sql.slice(start, end)`, offsets relative to `sql`. Returns `[]` when the lexer rejects the
 * text (an unterminated string), which cannot happen for text that parsed.
 */
export function tokenize(sql: string, start = 0, end = sql.length): SqlToken[] {
  const text = sql.slice(start, end);
  let scanned;
  try {
    scanned = scanSync(text).tokens;
  } catch {
    return [];
  }
  const toUtf16 = byteToUtf16(text);
  const tokens: SqlToken[] = [];
  let depth = 0;
  for (const token of scanned) {
    if (COMMENTS.has(token.tokenName)) continue;
    const tokenStart = toUtf16(token.start);
    const tokenEnd = toUtf16(token.end);
    const written = text.slice(tokenStart, tokenEnd);
    if (written === ')' || written === ']') depth = Math.max(0, depth - 1);
    tokens.push({
      start: start + tokenStart,
      end: start + tokenEnd,
      text: written,
      keyword: token.keywordKind !== 0 ? written.toUpperCase() : undefined,
      depth,
    });
    if (written === '(' || written === '[') depth++;
  }
  return tokens;
}

/** The index of the first token starting at or after `offset`, or `tokens.length`. */
export function tokenIndexAt(tokens: readonly SqlToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid].start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** True when `sql` has the keyword `word` (upper case) at `offset`, as a whole word. */
export function keywordAt(sql: string, offset: number, word: string): boolean {
  return sql.slice(offset, offset + word.length).toUpperCase() === word && !/[\w$]/.test(sql.charAt(offset + word.length));
}

/**
 * Where text appended to a statement lands after its last token, found without the lexer when the
 * statement has no comment that could hide its end: the span end, before a trailing `;`.
 * Undefined when a comment is present (tokenize instead).
 */
export function plainStatementEnd(sql: string, start: number, end: number): number | undefined {
  const text = sql.slice(start, end);
  if (text.includes('--') || text.includes('/*')) return undefined;
  let last = end;
  while (last > start && /[\s;]/.test(sql.charAt(last - 1))) last--;
  return last;
}
