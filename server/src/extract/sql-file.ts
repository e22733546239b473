import { scanSync } from 'libpg-query';
import { byteToUtf16, parseSql } from '../sql/parse';
import { PositionMap } from './position-map';
import type { SqlRegion } from './region';

/**
 * A .sql file: one region per statement, split by PostgreSQL's own parser so that semicolons inside
 * strings, dollar-quoted bodies and comments never split a statement. When the file does not parse,
 * the lexer splits it at top-level semicolons instead, so one broken statement yields one `sql-syntax`
 * finding and every other statement is still analysed.
 */
export function extractSqlFile(text: string): SqlRegion[] {
  const parsed = parseSql(text);
  const spans = parsed.ok ? parsed.statements.map(({ start, end }) => ({ start, end })) : splitWithLexer(text);
  return spans
    .filter(({ start, end }) => end > start)
    .map(({ start, end }) => ({
      sql: text.slice(start, end),
      map: PositionMap.identity(end - start, start),
      origin: 'sql-file' as const,
      explicit: true,
      interpolations: 0,
    }));
}

function splitWithLexer(text: string): { start: number; end: number }[] {
  let tokens;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    return [trimmed(text, 0, text.length)]; // an unterminated string or comment: the whole file is one piece
  }
  // Token offsets are UTF-8 bytes; map them through a UTF-16 conversion for non-ASCII files.
  const toUtf16 = byteToUtf16(text);
  const spans: { start: number; end: number }[] = [];
  let pieceStart: number | undefined;
  let pieceEnd = 0;
  for (const token of tokens) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
    const start = toUtf16(token.start);
    const end = toUtf16(token.end);
    if (token.text === ';') {
      if (pieceStart !== undefined) spans.push({ start: pieceStart, end: pieceEnd });
      pieceStart = undefined;
      continue;
    }
    pieceStart ??= start;
    pieceEnd = end;
  }
  if (pieceStart !== undefined) spans.push({ start: pieceStart, end: pieceEnd });
  return spans;
}

function trimmed(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}
