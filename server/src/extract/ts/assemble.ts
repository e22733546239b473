import * as ts from 'typescript';
import type { BindingSyntax } from './bindings';
import { appendLiteralText } from './literal-text';
import type { LiteralKind } from './literal-kind';
import { classifyTag } from './query-callees';
import { SqlAssembler } from './sql-assembler';
import { skipTrivia } from './trivia';

/** How the text of one SQL site is read. */
export interface AssembleOptions {
  text: string;
  bindings: BindingSyntax;
  /** Template interpolations are spliced as text (plain templates, `sql.unsafe`), not bound. */
  rawInterpolations: boolean;
  /** Nested sql tags inlined into an enclosing template land here, so they are not reported again. */
  consumed: Set<ts.Node>;
}

export interface AssembledSql {
  assembler: SqlAssembler;
  /** The literal the SQL starts in, for escaping quick-fix text. */
  kind: LiteralKind;
}

/** Nested sql tags are inlined at most this deep; deeper ones become placeholders. */
const MAX_INLINE_DEPTH = 16;

/** Drops parentheses and type-only wrappers: `("…")`, `"…" as const`, `q!`. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isTypeAssertionExpression(current) ||
      ts.isNonNullExpression(current)
    ) {
      current = current.expression;
    } else return current;
  }
}

/** A string literal, an untagged template, or a `+` concatenation that starts with one. */
export function isSqlText(expression: ts.Expression): boolean {
  let first = unwrap(expression);
  while (ts.isBinaryExpression(first) && first.operatorToken.kind === ts.SyntaxKind.PlusToken) first = unwrap(first.left);
  return isLiteral(first);
}

function isLiteral(node: ts.Expression): node is ts.StringLiteral | ts.TemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

/**
 * Builds the SQL of a string literal, untagged template or concatenation. Interpolations and
 * non-literal operands become `$n` placeholders numbered after any `$n` the text already uses.
 */
export function assembleText(expression: ts.Expression, options: AssembleOptions): AssembledSql | undefined {
  const operands = concatenationOperands(expression);
  const first = operands[0];
  if (first === undefined || !isLiteral(first)) return undefined;
  const { text } = options;
  const start = skipTrivia(text, expression.pos, expression.end);
  const assembler = new SqlAssembler(highestPlaceholder(text, start, expression.end) + 1);
  for (const operand of operands) {
    if (isLiteral(operand)) appendLiteral(assembler, operand, options, 0);
    else {
      const operandStart = skipTrivia(text, operand.pos, operand.end);
      if (ts.isNumericLiteral(operand)) assembler.verbatim(text, operandStart, operand.end);
      else assembler.placeholder(operandStart, operand.end, true);
    }
  }
  return { assembler, kind: literalKind(text, first) };
}

/** Builds the SQL of a tagged template's body. */
export function assembleTemplate(template: ts.TemplateLiteral, options: AssembleOptions): AssembledSql {
  const { text } = options;
  const start = skipTrivia(text, template.pos, template.end);
  const assembler = new SqlAssembler(highestPlaceholder(text, start, template.end) + 1);
  appendLiteral(assembler, template, options, 0);
  return { assembler, kind: 'template' };
}

function appendLiteral(
  out: SqlAssembler,
  literal: ts.StringLiteral | ts.TemplateLiteral,
  options: AssembleOptions,
  depth: number,
): void {
  const { text } = options;
  const start = skipTrivia(text, literal.pos, literal.end);
  if (ts.isStringLiteral(literal)) {
    const quote = text[start];
    const end = literal.end - 1 > start && text[literal.end - 1] === quote ? literal.end - 1 : literal.end;
    appendLiteralText(out, text, start + 1, end, false, options.bindings);
    return;
  }
  if (ts.isNoSubstitutionTemplateLiteral(literal)) {
    appendLiteralText(out, text, start + 1, closingEnd(text, start, literal.end, '`'), true, options.bindings);
    return;
  }
  let contentEnd = closingEnd(text, start, literal.head.end, '${');
  appendLiteralText(out, text, start + 1, contentEnd, true, options.bindings);
  for (const span of literal.templateSpans) {
    const closeBrace = skipTrivia(text, span.literal.pos, span.literal.end);
    const interpolationEnd = text[closeBrace] === '}' ? closeBrace + 1 : span.expression.end;
    appendInterpolation(out, span.expression, contentEnd, interpolationEnd, options, depth);
    const isMiddle = span.literal.kind === ts.SyntaxKind.TemplateMiddle;
    contentEnd = closingEnd(text, closeBrace, span.literal.end, isMiddle ? '${' : '`');
    appendLiteralText(out, text, Math.min(interpolationEnd, contentEnd), contentEnd, true, options.bindings);
  }
}

/** `${expr}` at [start, end): a nested sql tag is inlined, anything else becomes a placeholder. */
function appendInterpolation(
  out: SqlAssembler,
  expression: ts.Expression,
  start: number,
  end: number,
  options: AssembleOptions,
  depth: number,
): void {
  const inner = unwrap(expression);
  const tag = ts.isTaggedTemplateExpression(inner) && depth < MAX_INLINE_DEPTH ? classifyTag(inner.tag) : undefined;
  if (tag && ts.isTaggedTemplateExpression(inner)) {
    options.consumed.add(inner);
    appendLiteral(out, inner.template, { ...options, rawInterpolations: tag.rawInterpolations }, depth + 1);
    return;
  }
  out.placeholder(start, end, options.rawInterpolations);
}

/** Where a literal's content ends: before its closing delimiter, or at `end` when it is unterminated. */
function closingEnd(text: string, start: number, end: number, closer: string): number {
  return end - closer.length > start && text.startsWith(closer, end - closer.length) ? end - closer.length : end;
}

function literalKind(text: string, literal: ts.StringLiteral | ts.TemplateLiteral): LiteralKind {
  if (!ts.isStringLiteral(literal)) return 'template';
  return text[skipTrivia(text, literal.pos, literal.end)] === "'" ? 'single-quoted' : 'double-quoted';
}

/** The operands of `a + b + c` (after unwrapping), or the expression itself. */
function concatenationOperands(expression: ts.Expression): ts.Expression[] {
  const operands: ts.Expression[] = [];
  const pending: ts.Expression[] = [unwrap(expression)];
  while (pending.length > 0) {
    const current = pending.pop() as ts.Expression;
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      pending.push(unwrap(current.right), unwrap(current.left));
    } else operands.push(current);
  }
  return operands;
}

/** The highest `$n` written in [start, end), so interpolation placeholders never reuse a number. */
function highestPlaceholder(text: string, start: number, end: number): number {
  let highest = 0;
  for (let at = start; at < end; at++) {
    if (text.charCodeAt(at) !== 0x24 /* $ */) continue;
    let value = 0;
    let i = at + 1;
    for (; i < end && i - at <= 5; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x30 || code > 0x39) break;
      value = value * 10 + (code - 0x30);
    }
    if (i > at + 1 && value > highest) highest = value;
  }
  return highest;
}
