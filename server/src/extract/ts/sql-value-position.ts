/**
 * Follows SQL text as it is assembled and tells whether its end is a place where a `$n` parameter
 * parses: after an operator, an opening parenthesis or comma, an expression keyword (`WHERE`, `AND`,
 * `LIMIT`, …), or inside a quoted string or identifier. An interpolation elsewhere (`FROM ${table}`,
 * `… users ${where}`) splices SQL text, so a placeholder there says nothing about the real statement.
 */
const enum LexState {
  Code,
  Single,
  Double,
  LineComment,
  BlockComment,
}

/** Characters after which a value may follow: `= < > ! ( , + - * / % ^ | & [ ~ @ # ?`. */
const OPERATOR_CHARS = new Set('=<>!(,+-*/%^|&[~@#?'.split('').map((ch) => ch.charCodeAt(0)));

const VALUE_KEYWORDS = new Set([
  'select', 'distinct', 'where', 'and', 'or', 'not', 'on', 'having', 'when', 'then', 'else', 'case',
  'limit', 'offset', 'like', 'ilike', 'between', 'by', 'returning', 'escape',
]);

export class SqlValuePosition {
  private state = LexState.Code;
  /** Where the last significant token in code starts in `source`, or the punctuation char code. */
  private lastChar = -1;
  private wordStart = -1;
  private wordEnd = -1;
  private wordSource = '';
  private inWord = false;

  /** Follows `source.slice(start, end)`, the next stretch of the SQL, without copying it. */
  feed(source: string, start = 0, end = source.length): void {
    for (let i = start; i < end; i++) {
      const code = source.charCodeAt(i);
      switch (this.state) {
        case LexState.Single:
          if (code === 0x27 /* ' */) this.closeQuote(code);
          continue;
        case LexState.Double:
          if (code === 0x22 /* " */) this.closeQuote(code);
          continue;
        case LexState.LineComment:
          if (code === 0x0a || code === 0x0d) this.state = LexState.Code;
          continue;
        case LexState.BlockComment:
          if (code === 0x2a /* * */ && source.charCodeAt(i + 1) === 0x2f && i + 1 < end) {
            this.state = LexState.Code;
            i++;
          }
          continue;
        default:
          i = this.feedCode(source, i, end, code);
      }
    }
  }

  /** True when a `$n` placed at the current end would sit where a value goes (or inside quotes). */
  acceptsValue(): boolean {
    return this.state !== LexState.Code || this.expectsOperand();
  }

  /** True when the end is outside quotes and comments, where an operand must come next. */
  expectsOperand(): boolean {
    if (this.state !== LexState.Code) return false;
    if (this.wordEnd > this.wordStart) {
      const length = this.wordEnd - this.wordStart;
      return length <= 9 && VALUE_KEYWORDS.has(this.wordSource.slice(this.wordStart, this.wordEnd).toLowerCase());
    }
    return OPERATOR_CHARS.has(this.lastChar);
  }

  private feedCode(source: string, i: number, end: number, code: number): number {
    if (isWordChar(code)) {
      if (this.inWord && this.wordSource === source && this.wordEnd === i) this.wordEnd = i + 1;
      else {
        // A word split across two feeds (rare: an escape inside a word) counts as a fresh word.
        this.wordSource = source;
        this.wordStart = i;
        this.wordEnd = i + 1;
      }
      this.inWord = true;
      return i;
    }
    this.inWord = false;
    if (code === 0x27 || code === 0x22) {
      this.state = code === 0x27 ? LexState.Single : LexState.Double;
    } else if (code === 0x2d /* - */ && source.charCodeAt(i + 1) === 0x2d && i + 1 < end) {
      this.state = LexState.LineComment;
      return i + 1;
    } else if (code === 0x2f /* / */ && source.charCodeAt(i + 1) === 0x2a && i + 1 < end) {
      this.state = LexState.BlockComment;
      return i + 1;
    } else if (!isSpace(code)) {
      this.setPunctuation(code);
    }
    return i;
  }

  private closeQuote(quote: number): void {
    this.state = LexState.Code;
    this.setPunctuation(quote); // a complete literal or identifier: what follows is not a value
  }

  private setPunctuation(code: number): void {
    this.lastChar = code;
    this.wordStart = this.wordEnd = -1;
    this.inWord = false;
  }
}

function isWordChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x24 ||
    (code > 0x7f && !isSpace(code))
  );
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0xfeff || code === 0x2028 || code === 0x2029;
}
