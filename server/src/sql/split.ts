/**
 * Splits SQL text at top-level semicolons without parsing it: quoted strings ('…', E'…'), quoted
 * identifiers ("…"), dollar-quoted bodies ($tag$…$tag$) and comments (-- and nested /* *\/) never split.
 * Used where the parser cannot help because the text does not parse; linear in the text's length.
 * Returns statement spans (UTF-16 offsets) with surrounding white space and comments trimmed off.
 */
export function splitStatements(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let pieceStart: number | undefined; // first character of the current statement that is not a comment
  let pieceEnd = 0; // just past its last such character
  let i = 0;
  const n = text.length;
  const mark = (from: number, to: number) => {
    pieceStart ??= from;
    pieceEnd = to;
  };
  while (i < n) {
    const ch = text[i];
    if (ch === '-' && text[i + 1] === '-') {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? n : newline + 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i);
    } else if (ch === "'" || ch === '"') {
      const end = skipQuoted(text, i, ch, ch === "'" && /[eE]/.test(text[i - 1] ?? '') && !isWordChar(text[i - 2]));
      mark(i, end);
      i = end;
    } else if (ch === '$' && !isWordChar(text[i - 1])) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64))?.[0];
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        mark(i, end);
        i = end;
      } else {
        mark(i, i + 1);
        i++;
      }
    } else if (ch === ';') {
      if (pieceStart !== undefined) spans.push({ start: pieceStart, end: pieceEnd });
      pieceStart = undefined;
      i++;
    } else {
      if (!/\s/.test(ch)) mark(i, i + 1);
      i++;
    }
  }
  if (pieceStart !== undefined) spans.push({ start: pieceStart, end: pieceEnd });
  return spans;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$]/.test(ch);
}

/** Index just past the closing quote; a doubled quote is an escaped one; E'' strings honour backslashes. */
function skipQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') i += 2;
    else if (ch === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** Index just past a block comment, which nests in PostgreSQL. */
function skipBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}
