/**
 * Offset of the first token at or after `pos`, skipping white space and comments as the scanner does.
 * Nodes built without parent pointers carry their leading trivia in `pos`; this finds where the token
 * itself starts without `getStart()`.
 */
export function skipTrivia(text: string, pos: number, end = text.length): number {
  let i = pos;
  while (i < end) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || (ch >= 0x09 && ch <= 0x0d) || ch === 0xa0 || ch === 0xfeff || ch === 0x2028 || ch === 0x2029) {
      i++;
    } else if (ch === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (i < end && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (ch === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 || close >= end ? end : close + 2;
    } else if (ch > 0x7f && /\s/.test(text[i])) {
      i++;
    } else {
      break;
    }
  }
  return i;
}

const SQL_MARKER = /\/\*\s*sql\s*\*\//i;

/** True when the file mentions a `/* sql *\/` marker at all, so the per-literal check can be skipped. */
export function mayHaveSqlMarkers(text: string): boolean {
  return SQL_MARKER.test(text);
}

/** True when the trivia before a token, [pos, tokenStart), holds a `/* sql *\/` marker comment. */
export function hasSqlMarker(text: string, pos: number, tokenStart: number): boolean {
  return tokenStart - pos >= 7 && SQL_MARKER.test(text.slice(pos, tokenStart));
}
