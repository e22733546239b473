import ts from 'typescript';
import { isTransparent } from './chain';
import type { Consumption } from './evaluate';

/**
 * How the value of an expression is used, which decides whether a thenable query builder (knex,
 * drizzle, postgres' sql`…`) actually runs: awaited, returned or passed to `Promise.all` runs it;
 * pushed into an array collects it for later; assigned, interpolated or passed elsewhere does not.
 */
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
const COLLECTING_METHODS = new Set(['push', 'unshift']);
/** Callbacks whose return value is dropped or only tested. */
const RESULT_DROPPING = new Set(['forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'sort']);
const RESULT_KEEPING = new Set(['map', 'flatMap', 'reduce', 'reduceRight']);

export function consumptionOf(expr: ts.Node): Consumption {
  let current: ts.Node = expr;
  let inArray = false;
  for (;;) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent) return undefined;
    if (isTransparent(parent) || ts.isSpreadElement(parent)) {
      current = parent;
      continue;
    }
    if (ts.isConditionalExpression(parent) && parent.condition !== current) {
      current = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent) && parent.right === current && isShortCircuit(parent.operatorToken.kind)) {
      current = parent;
      continue;
    }
    if (ts.isArrayLiteralExpression(parent)) {
      inArray = true;
      current = parent;
      continue;
    }
    if (ts.isAwaitExpression(parent) || ts.isYieldExpression(parent) || ts.isReturnStatement(parent)) return 'awaited';
    if (ts.isArrowFunction(parent) && parent.body === current) return arrowResultConsumption(parent);
    if (ts.isCallExpression(parent) && parent.expression !== current) {
      const callee = parent.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && PROMISE_COMBINATORS.has(callee.name.text)) {
          return 'awaited';
        }
        if (!inArray && COLLECTING_METHODS.has(callee.name.text)) return 'collected';
      }
      return undefined;
    }
    return undefined;
  }
}

/** An arrow's expression body is returned to whoever calls the arrow. */
function arrowResultConsumption(arrow: ts.ArrowFunction): Consumption {
  let node: ts.Node = arrow;
  while (node.parent && isTransparent(node.parent)) node = node.parent;
  const call = node.parent;
  if (call && ts.isCallExpression(call) && call.expression !== node && ts.isPropertyAccessExpression(call.expression)) {
    const method = call.expression.name.text;
    if (RESULT_DROPPING.has(method)) return undefined;
    if (RESULT_KEEPING.has(method)) return consumptionOf(outermostChain(call));
  }
  // Returned to a caller that awaits it: a `.then` callback, a transaction callback, a handler.
  return 'awaited';
}

/** The outermost expression of the chain `node` is part of: `ids.map(f)` in `ids.map(f).filter(g)`. */
export function outermostChain(node: ts.Expression): ts.Expression {
  let current: ts.Expression = node;
  for (;;) {
    const parent = current.parent;
    if (
      parent &&
      ((ts.isPropertyAccessExpression(parent) && parent.expression === current) ||
        (ts.isElementAccessExpression(parent) && parent.expression === current) ||
        (ts.isCallExpression(parent) && parent.expression === current) ||
        (ts.isTaggedTemplateExpression(parent) && parent.tag === current) ||
        isTransparent(parent))
    ) {
      current = parent as ts.Expression;
    } else return current;
  }
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.AmpersandAmpersandToken;
}
