import type { Severity } from '../../finding';
import type { SqlRegion } from '../../extract/region';
import type { ParseFailure } from '../parse';
import type { SqlReport } from './rule';

/**
 * `sql-syntax`: the parser's own error, placed on the token where PostgreSQL stopped. Unlike the other
 * rules it runs on a parse failure, not on a statement; only regions the call site marks as SQL
 * (`region.explicit`) report it, so a UI string that merely looks like SQL is never flagged.
 */
export const sqlSyntax = {
  code: 'sql-syntax',
  severity: 'error' as Severity,
  docs: { summary: 'SQL that PostgreSQL cannot parse, with the parser’s message at the exact position.' },
  checkParseError(failure: ParseFailure, region: SqlRegion): SqlReport {
    const { start, end } = errorSpan(region.sql, failure.offset);
    return { start, end, message: `${capitalise(failure.message)}.`, data: { parserMessage: failure.message } };
  },
};

/** The token at the error, or the last token when the error is at the end of the input. */
function errorSpan(sql: string, offset: number): { start: number; end: number } {
  let start = Math.min(offset, sql.length);
  while (start > 0 && start >= sql.length) start--;
  while (start > 0 && /\s/.test(sql[start]) && start >= sql.trimEnd().length) start--;
  let end = start;
  while (end < sql.length && /[\w$]/.test(sql[end])) end++;
  if (end === start) end = Math.min(sql.length, start + 1);
  if (offset >= sql.trimEnd().length) {
    // "at end of input": mark the last word so the squiggle is visible.
    while (start > 0 && /[\w$]/.test(sql[start - 1])) start--;
  }
  // Stepping back one code unit can land inside a surrogate pair: widen to whole characters.
  if (isLow(sql, start) && isHigh(sql, start - 1)) start--;
  if (isHigh(sql, end - 1) && isLow(sql, end)) end++;
  return { start, end };
}

function isHigh(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
