/** One escape sequence of a JavaScript string or template literal: its cooked value and where it ends. */
export interface Escape {
  cooked: string;
  /** Offset just past the escape's raw text. */
  end: number;
}

const SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/**
 * Reads the escape sequence whose backslash is at `start` (ECMAScript's rules; legacy octal escapes are
 * cooked too, since sloppy-mode JavaScript still has them). Malformed escapes cook to the escaped
 * character so that extraction never fails on code the compiler would reject.
 */
export function readEscape(text: string, start: number, limit: number): Escape {
  const at = start + 1;
  if (at >= limit) return { cooked: '\\', end: limit };
  const ch = text[at];
  const simple = SIMPLE[ch];
  if (simple !== undefined) return { cooked: simple, end: at + 1 };
  switch (ch) {
    case '\r':
      // A line continuation cooks to nothing.
      return { cooked: '', end: text[at + 1] === '\n' && at + 1 < limit ? at + 2 : at + 1 };
    case '\n':
    case '\u2028':
    case '\u2029':
      return { cooked: '', end: at + 1 };
    case 'x': {
      const code = hexValue(text, at + 1, at + 3, limit);
      return code === undefined ? { cooked: 'x', end: at + 1 } : { cooked: String.fromCharCode(code), end: at + 3 };
    }
    case 'u':
      return readUnicodeEscape(text, at, limit);
    default:
      if (ch >= '0' && ch <= '7') return readOctalEscape(text, at, limit);
      return { cooked: ch, end: at + 1 };
  }
}

function readUnicodeEscape(text: string, at: number, limit: number): Escape {
  if (text[at + 1] === '{') {
    const close = indexWithin(text, '}', at + 2, Math.min(limit, at + 10));
    if (close > at + 2) {
      const code = hexValue(text, at + 2, close, limit);
      if (code !== undefined && code <= 0x10ffff) return { cooked: String.fromCodePoint(code), end: close + 1 };
    }
    return { cooked: 'u', end: at + 1 };
  }
  const code = hexValue(text, at + 1, at + 5, limit);
  return code === undefined ? { cooked: 'u', end: at + 1 } : { cooked: String.fromCharCode(code), end: at + 5 };
}

function readOctalEscape(text: string, at: number, limit: number): Escape {
  // `\0` not followed by a digit is NUL; otherwise up to three octal digits with a value of at most 0o377.
  let end = at + 1;
  const maxDigits = text[at] <= '3' ? 3 : 2;
  while (end < limit && end - at < maxDigits && text[end] >= '0' && text[end] <= '7') end++;
  return { cooked: String.fromCharCode(parseInt(text.slice(at, end), 8)), end };
}

function hexValue(text: string, from: number, to: number, limit: number): number | undefined {
  if (to > limit || to <= from) return undefined;
  const digits = text.slice(from, to);
  return /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : undefined;
}

/** Offset of `ch` in [from, to), or -1: a bounded search, so a stray `\u{` never scans the whole file. */
function indexWithin(text: string, ch: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text[i] === ch) return i;
  return -1;
}
