import { tokenize, type SqlToken } from '../sql/tokens';

/**
 * The SQL text of a CREATE INDEX statement's expression keys and WHERE predicate, sliced from the
 * statement as written (the parser gives an expression's start at best, never its end). Keys come
 * from the parenthesised list after `ON table [USING method]`; an expression key is either
 * parenthesised, `((a + b))`, or a function call, `lower(email)`.
 */
export interface IndexTexts {
  /** Per key, the expression text (whitespace collapsed); undefined for keys that could not be read. */
  elements: (string | undefined)[];
  predicate?: string;
}

export function indexElementTexts(statement: { sql: string; start: number; end: number }): IndexTexts {
  const tokens = tokenize(statement.sql, statement.start, statement.end);
  while (tokens.length > 0 && tokens[tokens.length - 1].text === ';') tokens.pop();
  const on = tokens.findIndex((token) => token.depth === 0 && token.keyword === 'ON');
  const open = on < 0 ? -1 : tokens.findIndex((token, i) => i > on && token.depth === 0 && token.text === '(');
  if (open < 0) return { elements: [] };
  const close = matching(tokens, open);

  const elements: (string | undefined)[] = [];
  let pieceStart = open + 1;
  for (let i = open + 1; i <= close; i++) {
    const token = tokens[i];
    if (i === close || (token.depth === 1 && token.text === ',')) {
      elements.push(expressionText(statement.sql, tokens.slice(pieceStart, i)));
      pieceStart = i + 1;
    }
  }

  const where = tokens.findIndex((token, i) => i > close && token.depth === 0 && token.keyword === 'WHERE');
  const predicate = where >= 0 && where + 1 < tokens.length ? text(statement.sql, tokens[where + 1], tokens[tokens.length - 1]) : undefined;
  return predicate === undefined ? { elements } : { elements, predicate };
}

/** The expression at the start of one key's tokens, without COLLATE, operator class or ordering. */
function expressionText(sql: string, tokens: SqlToken[]): string | undefined {
  if (tokens.length === 0) return undefined;
  if (tokens[0].text === '(') {
    const close = matching(tokens, 0);
    return close > 1 ? text(sql, tokens[1], tokens[close - 1]) : undefined;
  }
  const open = tokens.findIndex((token) => token.text === '(');
  if (open < 0) return text(sql, tokens[0], tokens[0]);
  return text(sql, tokens[0], tokens[matching(tokens, open)]);
}

/** The index of the token closing the parenthesis at `open` (the last token when unbalanced). */
function matching(tokens: readonly SqlToken[], open: number): number {
  const depth = tokens[open].depth;
  for (let i = open + 1; i < tokens.length; i++) {
    if (tokens[i].depth === depth && tokens[i].text === ')') return i;
  }
  return tokens.length - 1;
}

function text(sql: string, first: SqlToken, last: SqlToken): string {
  return sql.slice(first.start, last.end).replace(/\s+/g, ' ').trim();
}
