/**
 * Follows SQL text as it is assembled and tells whether its end is a place where a `$n` parameter
 * parses: after an operator, an opening parenthesis or comma, an expression keyword (`WHERE`, `AND`,
 * `LIMIT`, …), or inside a quoted string or identifier. An interpolation elsewhere (`FROM ${table}`,
 * `… users ${where}`) splices SQL text, so a placeholder there says nothing about the real statement.
 */
type LexState = 'code' | 'single' | 'double' | 'line-comment' | 'block-comment';

const OPERATOR_CHARS = new Set('=<>!(,+-*/%^|&[~@#?'.split(''));

const VALUE_KEYWORDS = new Set([
  'select', 'distinct', 'where', 'and', 'or', 'not', 'on', 'having', 'when', 'then', 'else', 'case',
  'limit', 'offset', 'like', 'ilike', 'between', 'by', 'returning', 'escape',
]);

export class SqlValuePosition {
  private state: LexState = 'code';
  /** The last significant token in code: a lower-case word, or a single punctuation character. */
  private lastToken = '';
  private inWord = false;

  /** Follows `text`, the next stretch of the SQL. */
  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      switch (this.state) {
        case 'single':
          if (ch === "'") this.closeQuote("'");
          continue;
        case 'double':
          if (ch === '"') this.closeQuote('"');
          continue;
        case 'line-comment':
          if (ch === '\n' || ch === '\r') this.state = 'code';
          continue;
        case 'block-comment':
          if (ch === '*' && text[i + 1] === '/') {
            this.state = 'code';
            i++;
          }
          continue;
        case 'code':
          i = this.feedCode(text, i);
      }
    }
  }

  /** True when a `$n` placed at the current end would sit where a value goes. */
  acceptsValue(): boolean {
    if (this.state !== 'code') return true;
    return OPERATOR_CHARS.has(this.lastToken) || VALUE_KEYWORDS.has(this.lastToken);
  }

  private feedCode(text: string, i: number): number {
    const ch = text[i];
    if (/[\w$]/.test(ch) || ch > '\x7f') {
      this.lastToken = this.inWord ? this.lastToken + ch.toLowerCase() : ch.toLowerCase();
      this.inWord = true;
      return i;
    }
    this.inWord = false;
    if (ch === "'" || ch === '"') this.state = ch === "'" ? 'single' : 'double';
    else if (ch === '-' && text[i + 1] === '-') {
      this.state = 'line-comment';
      return i + 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      this.state = 'block-comment';
      return i + 1;
    } else if (!/\s/.test(ch)) this.lastToken = ch;
    return i;
  }

  private closeQuote(quote: string): void {
    this.state = 'code';
    this.lastToken = quote; // a complete literal or identifier: what follows is not a value
    this.inWord = false;
  }
}
