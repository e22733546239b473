/**
 * Parameter syntaxes of query libraries that write bindings inside plain strings, turned into `$n`
 * placeholders so the statement parses: pg-promise's `${name}`, `$(name)`, `$<name>`, `$[name]`,
 * `$/name/` (with `:raw`, `^`, … modifiers) and `$1:name`, knex's `?` / `??`, and the `?` and `:name`
 * replacements of Sequelize, MikroORM and the like.
 */
export interface BindingSyntax {
  /** pg-promise named bindings; never valid SQL as written, so safe wherever a plain string is read. */
  pgPromiseNamed: boolean;
  /** pg-promise `$1:raw`, `$1^`, `$1#`: only for pg-promise methods, since `$1^2` is also SQL. */
  pgPromiseModifiers: boolean;
  /** knex `?` (value) and `??` (identifier); `\\?` is a literal question mark. */
  knex: boolean;
  /**
   * `?` and `:name` where an operand must come next (`id = ?`, `IN (:ids)`). PostgreSQL's own `?`
   * (jsonb `data ? 'key'`) and `::type` casts follow an operand, so they are never taken for bindings.
   */
  operandReplacements: boolean;
}

/** What the SQL assembled so far says about the next token. */
export interface OperandContext {
  expectsOperand(): boolean;
}

export interface BindingMatch {
  /** Offset just past the binding's raw text. */
  end: number;
  /** Same key, same placeholder. */
  key?: string;
  /** The placeholder number the syntax itself gives. */
  fixed?: number;
  raw: boolean;
  /** Not a binding but literal text (knex's escaped `?`). */
  literal?: string;
}

export const NO_BINDINGS: BindingSyntax = { pgPromiseNamed: false, pgPromiseModifiers: false, knex: false, operandReplacements: false };

const CLOSERS: Readonly<Record<string, string>> = { '{': '}', '(': ')', '<': '>', '[': ']', '/': '/' };
const NAMED_INNER = /^\s*([\w$.]+)\s*(\^|#|:[a-z]+)?\s*$/;
const POSITIONAL_WITH_MODIFIER = /\$(\d+)(\^|#|:(?:raw|name|alias|json|csv|list|value))/y;

/** The binding starting at `i` in raw literal text, if any. Looks only at `$`, `?`, `:` and `\`. */
export function matchBinding(
  text: string,
  i: number,
  limit: number,
  syntax: BindingSyntax,
  context: OperandContext,
): BindingMatch | undefined {
  const ch = text[i];
  if (ch === '$') return matchPgPromise(text, i, limit, syntax);
  if (!syntax.knex) return syntax.operandReplacements ? matchReplacement(text, i, limit, context) : undefined;
  if (ch === '?') {
    const identifier = text[i + 1] === '?' && i + 1 < limit;
    return { end: identifier ? i + 2 : i + 1, raw: identifier };
  }
  if (ch === '\\' && text.startsWith('\\\\?', i) && i + 3 <= limit) return { end: i + 3, raw: false, literal: '?' };
  return undefined;
}

const REPLACEMENT_NAME = /[A-Za-z_][\w$]*/y;

function matchReplacement(text: string, i: number, limit: number, context: OperandContext): BindingMatch | undefined {
  const ch = text[i];
  if (ch === '?') {
    const next = text[i + 1];
    if (next === '?' || next === '|' || next === '&') return undefined;
    return context.expectsOperand() ? { end: i + 1, raw: false } : undefined;
  }
  if (ch !== ':' || text[i + 1] === ':') return undefined;
  REPLACEMENT_NAME.lastIndex = i + 1;
  const name = REPLACEMENT_NAME.exec(text);
  if (!name || i + 1 + name[0].length > limit || !context.expectsOperand()) return undefined;
  return { end: i + 1 + name[0].length, key: `:${name[0]}`, raw: false };
}

function matchPgPromise(text: string, i: number, limit: number, syntax: BindingSyntax): BindingMatch | undefined {
  const open = text[i + 1];
  const close = open === undefined ? undefined : CLOSERS[open];
  if (syntax.pgPromiseNamed && close !== undefined) {
    let end = i + 2;
    const stop = Math.min(limit, i + 80);
    while (end < stop && text[end] !== close) end++;
    if (end >= stop) return undefined;
    const inner = NAMED_INNER.exec(text.slice(i + 2, end));
    if (!inner) return undefined;
    return { end: end + 1, key: inner[1], raw: inner[2] !== undefined && inner[2] !== ':json' };
  }
  if (syntax.pgPromiseModifiers && open !== undefined && open >= '0' && open <= '9') {
    POSITIONAL_WITH_MODIFIER.lastIndex = i;
    const match = POSITIONAL_WITH_MODIFIER.exec(text);
    if (!match || match.index + match[0].length > limit) return undefined;
    return { end: i + match[0].length, fixed: Number(match[1]), raw: match[2] !== ':json' };
  }
  return undefined;
}
