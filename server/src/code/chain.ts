import ts from 'typescript';
import { CALL, NEW, TAG, type Token } from './values';

/**
 * An expression read as a root followed by tokens: `db.selectFrom('t').where(…).execute()` is the root
 * `db` and the tokens `selectFrom () where () execute ()`. Each token keeps its node, so the arguments
 * of every call along the chain stay reachable.
 */
export interface ChainLink {
  token: Token;
  /** The call, tagged template, `new`, or property/element access producing this token. */
  node: ts.CallExpression | ts.TaggedTemplateExpression | ts.NewExpression | ts.PropertyAccessExpression | ts.ElementAccessExpression;
}

export interface Chain {
  /** The expression the chain starts from (an identifier, `this`, or anything not itself a chain). */
  root: ts.Expression;
  links: ChainLink[];
  /** The whole chain expression. */
  outer: ts.Expression;
}

/** Expressions that start or continue a chain. */
export function isChainNode(node: ts.Node): boolean {
  return (
    ts.isCallExpression(node) ||
    ts.isTaggedTemplateExpression(node) ||
    ts.isPropertyAccessExpression(node) ||
    ts.isElementAccessExpression(node) ||
    ts.isNewExpression(node)
  );
}

export function decompose(outer: ts.Expression): Chain {
  const links: ChainLink[] = [];
  let node: ts.Expression = outer;
  for (;;) {
    if (ts.isCallExpression(node)) {
      links.push({ token: CALL, node });
      node = node.expression;
    } else if (ts.isTaggedTemplateExpression(node)) {
      links.push({ token: TAG, node });
      node = node.tag;
    } else if (ts.isPropertyAccessExpression(node)) {
      links.push({ token: node.name.text, node });
      node = node.expression;
    } else if (ts.isElementAccessExpression(node)) {
      const key = node.argumentExpression;
      links.push({ token: ts.isStringLiteralLike(key) ? key.text : '[]', node });
      node = node.expression;
    } else if (ts.isNewExpression(node)) {
      links.push({ token: NEW, node });
      node = node.expression;
    } else if (isTransparent(node)) {
      node = node.expression;
    } else break;
  }
  links.reverse();
  return { root: node, links, outer };
}

type Transparent =
  | ts.ParenthesizedExpression
  | ts.NonNullExpression
  | ts.AsExpression
  | ts.TypeAssertion
  | ts.SatisfiesExpression
  | ts.ExpressionWithTypeArguments;

/** Wrappers that change nothing at run time: parentheses, `!`, `as`, `satisfies`, type arguments. */
export function isTransparent(node: ts.Node): node is Transparent {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isTypeAssertionExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isExpressionWithTypeArguments(node)
  );
}

/** `expr` without transparent wrappers and `await`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let node = expr;
  while (isTransparent(node) || ts.isAwaitExpression(node)) node = node.expression;
  return node;
}

export function isFunctionLike(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** The member name before the token at `index` (the method a call calls), if that token is a call. */
export function methodBefore(chain: Chain, index: number): string | undefined {
  const previous = chain.links[index - 1];
  if (!previous) return ts.isIdentifier(chain.root) ? chain.root.text : undefined;
  return ts.isPropertyAccessExpression(previous.node) || ts.isElementAccessExpression(previous.node) ? previous.token : undefined;
}

/** The callee of the token at `index`, rendered without arguments: `db.selectFrom()….executeTakeFirst`. */
export function renderCallee(chain: Chain, index: number, sourceFile: ts.SourceFile): string {
  const root = chain.root;
  let text = ts.isIdentifier(root) || root.kind === ts.SyntaxKind.ThisKeyword ? root.getText(sourceFile) : shorten(root.getText(sourceFile));
  const last = chain.links[index]?.token === CALL || chain.links[index]?.token === TAG ? index - 1 : index;
  for (let i = 0; i <= last && i < chain.links.length; i++) {
    const token = chain.links[i].token;
    if (token === CALL) text += '()';
    else if (token === TAG) text += '`…`';
    else if (token === NEW) text = `new ${text}()`;
    else if (token === '[]') text += '[…]';
    else text += `.${token}`;
  }
  return abbreviate(text);
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 24 ? `(${flat.slice(0, 20)}…)` : flat;
}

/** Keeps the start and the end of a long callee: `db.selectFrom()….executeTakeFirst`. */
function abbreviate(text: string): string {
  if (text.length <= 48) return text;
  const firstCall = text.indexOf('()');
  const lastDot = text.lastIndexOf('.');
  if (firstCall > 0 && lastDot > firstCall) return `${text.slice(0, firstCall + 2)}…${text.slice(lastDot)}`;
  return `${text.slice(0, 22)}…${text.slice(-22)}`;
}
