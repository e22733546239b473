import { loadModule, parseSync, hasSqlDetails } from 'libpg-query';
import type { Node, ParseResult } from 'libpg-query';

/**
 * PostgreSQL's own parser (libpg-query, WASM). Call `loadParser()` once before any sync call; it is
 * cheap to call again. The parser reports byte offsets into the UTF-8 encoding of the query; everything
 * here converts them to UTF-16 offsets in the JavaScript string, which is what the rest of pglens uses.
 */
let loading: Promise<void> | undefined;
let loaded = false;

export function loadParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function isParserLoaded(): boolean {
  return loaded;
}

export interface ParsedStatement {
  stmt: Node;
  /** UTF-16 offsets of the statement in the parsed text, comments and separators excluded. */
  start: number;
  end: number;
}

export interface ParseSuccess {
  ok: true;
  statements: ParsedStatement[];
  /** Converts a parser `location` (a UTF-8 byte offset) to a UTF-16 offset in the text. */
  offsetOf: (byteLocation: number) => number;
}

export interface ParseFailure {
  ok: false;
  message: string;
  /** UTF-16 offset of the error in the text (the end of the text for "at end of input"). */
  offset: number;
}

export type ParseOutcome = ParseSuccess | ParseFailure;

const cache = new Map<string, ParseOutcome>();
const CACHE_LIMIT = 5000;

/** Forgets memoised parse results (benchmarks measure the uncached path with it). */
export function clearParseCache(): void {
  cache.clear();
}

/** Parses `sql`; never throws for bad SQL. Results are memoised by text (they are immutable). */
export function parseSql(sql: string): ParseOutcome {
  const cached = cache.get(sql);
  if (cached) return cached;
  const outcome = parseUncached(sql);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(sql, outcome);
  return outcome;
}

function parseUncached(sql: string): ParseOutcome {
  if (!loaded) throw new Error('pglens: the SQL parser is not loaded; await loadParser() first');
  const offsetOf = byteToUtf16(sql);
  let result: ParseResult;
  try {
    result = parseSync(sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // libpg-query reports the error cursor 0-based and in characters (code points), unlike node
    // locations, which are UTF-8 bytes.
    const cursor = hasSqlDetails(error) ? error.sqlDetails?.cursorPosition : undefined;
    const offset = cursor === undefined || cursor < 0 ? sql.length : codePointsToUtf16(sql, cursor);
    return { ok: false, message, offset: Math.min(offset, sql.length) };
  }
  const statements: ParsedStatement[] = [];
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const startByte = raw.stmt_location ?? 0;
    const start = offsetOf(startByte);
    // stmt_len 0 means "to the end of the text".
    const end = raw.stmt_len ? offsetOf(startByte + raw.stmt_len) : sql.length;
    const statement: ParsedStatement = { stmt: raw.stmt, ...trimStatement(sql, start, end) };
    sources.set(statement, sql);
    statements.push(statement);
  }
  return { ok: true, statements, offsetOf };
}

/** The text each statement parseSql returned was parsed from. */
const sources = new WeakMap<ParsedStatement, string>();

/**
 * `statement` as parsing `text` alone gives it (the one statement, spanning all of `text`), when
 * `statement` came from parseSql and `text` is exactly its slice of the text parsed; else undefined.
 * A statement's slice starts after a top-level `;` (or at the start) and holds no other, so it lexes
 * and parses alone as it did in context: callers that already parsed a document (the analysis pass)
 * need not parse the statement again. The AST's own `location`s stay those of the original text.
 */
export function parsedAlone(statement: ParsedStatement, text: string): ParsedStatement | undefined {
  const source = sources.get(statement);
  if (source === undefined || statement.end - statement.start !== text.length) return undefined;
  if (source.slice(statement.start, statement.end) !== text) return undefined;
  return { stmt: statement.stmt, start: 0, end: text.length };
}

/**
 * The parser's statement span starts after the previous `;` and may include leading comments and
 * white space; narrow it to the statement's own text so findings never land on a comment.
 */
function trimStatement(sql: string, start: number, end: number): { start: number; end: number } {
  let s = start;
  for (;;) {
    while (s < end && /\s/.test(sql[s])) s++;
    if (sql.startsWith('--', s)) {
      const newline = sql.indexOf('\n', s);
      s = newline < 0 || newline > end ? end : newline + 1;
    } else if (sql.startsWith('/*', s)) {
      const close = sql.indexOf('*/', s + 2);
      s = close < 0 || close > end ? end : close + 2;
    } else break;
  }
  let e = end;
  while (e > s && /\s/.test(sql[e - 1])) e--;
  return { start: s, end: e };
}

/** UTF-16 offset of the code point at index `codePoints` in `text` (PostgreSQL counts characters). */
export function codePointsToUtf16(text: string, codePoints: number): number {
  let offset = 0;
  for (let i = 0; i < codePoints && offset < text.length; i++) offset += startsPair(text, offset) ? 2 : 1;
  return offset;
}

/** True when a surrogate pair (one code point) starts at `i`; a lone surrogate is a code point of its own. */
function startsPair(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}

/** A function from UTF-8 byte offsets to UTF-16 offsets for `text` (identity for ASCII text). */
export function byteToUtf16(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return (b) => Math.min(b, text.length);
  const byteStarts: number[] = []; // byteStarts[i] = byte offset of UTF-16 unit i
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    byteStarts.push(bytes);
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (startsPair(text, i)) {
      byteStarts.push(bytes + 2); // the low surrogate sits inside the same 4-byte sequence
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  const total = bytes;
  return (byteOffset) => {
    if (byteOffset >= total) return text.length;
    let low = 0;
    let high = byteStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (byteStarts[mid] <= byteOffset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
}
