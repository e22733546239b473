import ts from 'typescript';
import { identifiersRead } from './call-shape';
import { isTransparent, methodBefore, type Chain } from './chain';
import type { CallShape, Exemption, LoopInfo, LoopKind } from './summary';

/**
 * Loops as the per-file pass sees them: statement loops and iterating callbacks, and the three loop
 * shapes that run a query per iteration without being an N+1: a bounded retry around one unit of work,
 * a paging loop that stops on an empty page, and a loop over a fixed list of constants.
 */
export interface LoopFrame {
  info: LoopInfo;
  /** The loop statement, or the callback function for iterating callbacks. */
  node: ts.Node;
  staticList: boolean;
  retry?: boolean;
  varyingDone?: boolean;
}

/** Array methods whose callback runs once per element (argument 0). */
export const ITERATION_METHODS: ReadonlySet<string> = new Set([
  'map',
  'forEach',
  'flatMap',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
]);

/** Iterating helpers called as functions (`pMap(items, fn)`), with the callback's argument index. */
const ITERATING_FUNCTIONS: Record<string, number> = { pMap: 1, pMapSeries: 1, pEachSeries: 1, pFilter: 1 };
/** `Promise.map` / `Bluebird.each` / `async.mapSeries`… : namespaces whose methods iterate (argument 1). */
const ITERATING_NAMESPACES = new Set(['Promise', 'Bluebird', 'async']);
const NAMESPACE_ITERATORS = new Set(['map', 'mapSeries', 'each', 'eachSeries', 'mapLimit', 'eachLimit', 'filter']);

/** The argument index of the per-element callback if the call at `index` iterates, else undefined. */
export function iterationArgIndex(chain: Chain, index: number): number | undefined {
  const method = methodBefore(chain, index);
  if (!method) return undefined;
  if (index === 0) return ITERATING_FUNCTIONS[method];
  const receiver = index === 1 && ts.isIdentifier(chain.root) ? chain.root.text : undefined;
  if (method === 'from' && receiver === 'Array') return 1;
  if (receiver && ITERATING_NAMESPACES.has(receiver) && NAMESPACE_ITERATORS.has(method)) return receiver === 'async' && method.endsWith('Limit') ? 2 : 1;
  if (ITERATION_METHODS.has(method)) return 0;
  return undefined;
}

const KEYWORD: Record<string, string> = { for: 'for', 'for-of': 'for', 'for-await-of': 'for', 'for-in': 'for', while: 'while', 'do-while': 'do' };

export function statementLoopKind(node: ts.IterationStatement): LoopKind {
  if (ts.isForOfStatement(node)) return node.awaitModifier ? 'for-await-of' : 'for-of';
  if (ts.isForInStatement(node)) return 'for-in';
  if (ts.isWhileStatement(node)) return 'while';
  if (ts.isDoStatement(node)) return 'do-while';
  return 'for';
}

/** The span of a statement loop's keyword (`for`, `while`, `do`). */
export function keywordSpan(node: ts.IterationStatement, sourceFile: ts.SourceFile): { start: number; end: number } {
  const start = node.getStart(sourceFile);
  return { start, end: start + KEYWORD[statementLoopKind(node)].length };
}

export interface ExemptionCheck {
  exempt?: Exemption;
  /** The loop stops on this call's result: a paging loop if the query it reaches has a row limit. */
  stopsOnResult?: boolean;
}

/**
 * Whether a call inside `frame` is one of the shapes that is not an N+1. `direct` says the call itself
 * is the query (its shape is the query's); for a call of a function, paging is decided once the query
 * it reaches is known.
 */
export function exemptionOf(frame: LoopFrame, callOuter: ts.Node, shape: CallShape | undefined, direct: boolean): ExemptionCheck {
  if (frame.staticList) return { exempt: 'static-list' };
  if (isRetryLoop(frame)) return { exempt: 'retry' };
  if (shape && passesWholeBatch(frame, callOuter, shape)) return { exempt: 'batched' };
  if (!stopsOnResult(frame, callOuter)) return {};
  if (direct) return shape?.limited ? { exempt: 'pagination' } : {};
  return { stopsOnResult: true };
}

/**
 * A bounded attempt loop around one unit of work: a counter loop (not over a collection) that returns
 * or breaks once the work succeeds, with a try/catch or an attempt-like counter, never indexing by it.
 */
export function isRetryLoop(frame: LoopFrame): boolean {
  if (frame.retry !== undefined) return frame.retry;
  const node = frame.node;
  let retry = false;
  if (ts.isForStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) {
    const counters = counterNames(node);
    retry =
      counters.size > 0 &&
      exitsEarly(node.statement) &&
      !indexesWith(node, counters) &&
      (contains(node.statement, ts.isTryStatement) || [...counters].some((name) => /attempt|retr|tries|tried|try/i.test(name)));
  }
  frame.retry = retry;
  return retry;
}

/**
 * A loop over batches: each iteration's item goes whole into a set-valued position (`= ANY($1)`,
 * `whereIn`, `inArray`, `In()`, `{ in: … }`), or a chunk of rows goes whole into an insert. One query
 * per batch is the fix for an N+1, not one.
 */
function passesWholeBatch(frame: LoopFrame, callOuter: ts.Node, shape: CallShape): boolean {
  const items = frame.info.itemNames;
  if (items.length === 0) return false;
  if (shape.sql && shape.params) {
    for (const match of shape.sql.matchAll(/\b(?:ANY|ALL)\s*\(\s*\$(\d+)|\bIN\s*\(?\s*\$(\d+)\b|\bunnest\s*\(\s*\$(\d+)/gi)) {
      const param = shape.params[Number(match[1] ?? match[2] ?? match[3]) - 1];
      if (param?.idents.some((name) => items.includes(name))) return true;
    }
  }
  const item = `(?:${items.map((name) => name.replace(/[$]/g, '\\$')).join('|')})`;
  const text = callOuter.getText();
  const asSet = new RegExp(`\\b(?:whereIn|whereNotIn|inArray|notInArray|In)\\(\\s*(?:[^,()]+,\\s*)?${item}\\b|\\bin:\\s*${item}\\b|\\[Op\\.in\\]:\\s*${item}\\b|'in',\\s*${item}\\b`);
  if (asSet.test(text)) return true;
  const chunkItems = items.filter((name) => /chunk|batch|page|slice|part|group|rows/i.test(name));
  if (chunkItems.length === 0) return false;
  const chunk = `(?:${chunkItems.join('|')})`;
  return new RegExp(`\\b(?:insert|values|bulkCreate|batchInsert|createMany|save)\\(\\s*(?:\\{\\s*data:\\s*)?${chunk}\\s*[,)}]`).test(text);
}

/**
 * The loop stops on the call's result (paging): the loop condition, or an `if` that breaks or
 * returns, reads the result or a cursor derived from it. Only counter and condition loops page.
 */
function stopsOnResult(frame: LoopFrame, callOuter: ts.Node): boolean {
  const node = frame.node;
  if (!(ts.isForStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node))) return false;
  const results = resultNames(callOuter);
  if (results.size === 0) return false;
  const derived = new Set(results);
  forEachInLoop(node.statement, (child) => {
    if (ts.isBinaryExpression(child) && child.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(child.left)) {
      if (identifiersRead(child.right).some((name) => results.has(name))) derived.add(child.left.text);
    }
  });
  const reads = (expr: ts.Node | undefined) => !!expr && identifiersRead(expr).some((name) => derived.has(name));
  if (reads(ts.isForStatement(node) ? node.condition : node.expression)) return true;
  let stops = false;
  forEachInLoop(node.statement, (child) => {
    if (ts.isIfStatement(child) && reads(child.expression) && exitsEarly(child.thenStatement)) stops = true;
  });
  return stops;
}

/** Names bound from a call's result: `const { rows } = await q`, `page = await q`. */
function resultNames(callOuter: ts.Node): Set<string> {
  let node: ts.Node = callOuter;
  while (node.parent && (isTransparent(node.parent) || ts.isAwaitExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  const names = new Set<string>();
  if (parent && ts.isVariableDeclaration(parent)) collectBindingNames(parent.name, names);
  else if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) names.add(parent.left.text);
  return names;
}

/** Names that change per iteration: item names, variables declared or assigned inside the loop. */
export function varyingNames(frame: LoopFrame): string[] {
  if (frame.varyingDone) return frame.info.varying;
  const names = new Set(frame.info.itemNames);
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) collectBindingNames(node.name, names);
    else if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind) && ts.isIdentifier(node.left)) names.add(node.left.text);
    else if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && ts.isIdentifier(node.operand)) names.add(node.operand.text);
    ts.forEachChild(node, visit);
  };
  visit(frame.node);
  frame.info.varying = [...names];
  frame.varyingDone = true;
  return frame.info.varying;
}

export function collectBindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectBindingNames(element.name, into);
}

/** Identifiers a counter loop counts with: declared in a `for` initializer, or stepped with ++/--/+=. */
function counterNames(node: ts.ForStatement | ts.WhileStatement | ts.DoStatement): Set<string> {
  const names = new Set<string>();
  if (ts.isForStatement(node) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
    for (const declaration of node.initializer.declarations) collectBindingNames(declaration.name, names);
  }
  forEachInLoop(node, (child) => {
    if ((ts.isPostfixUnaryExpression(child) || ts.isPrefixUnaryExpression(child)) && ts.isIdentifier(child.operand)) {
      const op = child.operator;
      if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) names.add(child.operand.text);
    } else if (
      ts.isBinaryExpression(child) &&
      (child.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken || child.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) &&
      ts.isIdentifier(child.left) &&
      ts.isNumericLiteral(child.right)
    ) {
      names.add(child.left.text);
    }
  });
  return names;
}

function indexesWith(node: ts.Node, counters: Set<string>): boolean {
  return contains(node, (child) => ts.isElementAccessExpression(child) && identifiersRead(child.argumentExpression).some((name) => counters.has(name)));
}

/** A `return`, or a `break` that leaves this loop, outside nested functions and loops. */
function exitsEarly(body: ts.Node): boolean {
  let exits = false;
  const visit = (node: ts.Node, inInnerLoop: boolean): void => {
    if (exits || isFunctionBoundary(node)) return;
    if (ts.isReturnStatement(node) || (ts.isBreakStatement(node) && (!inInnerLoop || !!node.label))) {
      exits = true;
      return;
    }
    const inner = inInnerLoop || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(body, false);
  return exits;
}

function contains(node: ts.Node, test: (node: ts.Node) => boolean): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || isFunctionBoundary(child)) return;
    if (test(child)) {
      found = true;
      return;
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** Visits a loop's nodes, not descending into nested functions. */
function forEachInLoop(node: ts.Node, visit: (node: ts.Node) => void): void {
  const walk = (child: ts.Node): void => {
    if (isFunctionBoundary(child)) return;
    visit(child);
    ts.forEachChild(child, walk);
  };
  walk(node);
}

function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}
