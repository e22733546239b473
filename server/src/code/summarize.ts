import ts from 'typescript';
import { findSuppressions } from '../suppress';
import { LineIndex } from '../text/line-index';
import { callShape } from './call-shape';
import { decompose, isFunctionLike, isChainNode, methodBefore, renderCallee, unwrap, type Chain } from './chain';
import { consumptionOf } from './consumption';
import { FileDeclarations, hasModifier, isConstantList, rootName, stripTransparent, type Ctx } from './declarations';
import { classifyChain, type Classified, type Consumption } from './evaluate';
import { callbackRoleOf } from './libraries';
import { collectBindingNames, exemptionOf, iterationArgIndex, keywordSpan, statementLoopKind, varyingNames, type LoopFrame } from './loops';
import { Scope } from './scope';
import { isTransactionControl, looksLikeSql } from './sql-text';
import type { CallShape, FileSummary, SiteEvent } from './summary';
import { CALL, CALLBACK_PARAM, TAG, type SymValue } from './values';

/**
 * The per-file pass: parses one TypeScript/JavaScript file (syntax only, no type checker) and returns
 * its summary — imports, exports, functions with the calls that may reach the database, and the calls
 * made inside loops. The syntax tree is dropped when this returns.
 */
export function summarizeFile(file: string, text: string): FileSummary {
  return new FileSummarizer(file, text).run();
}

/** The unit holding top-level code. */
export const MODULE_UNIT = '<module>';

interface WalkOptions {
  loops: LoopFrame[];
  thisValue?: SymValue;
  superValue?: SymValue;
  /** What the first parameter is when the caller hands one over (a transaction callback's handle). */
  firstParam?: SymValue;
  /** Receives the per-iteration names of an iterating callback. */
  frame?: LoopFrame;
  /** Index of the per-element parameter (1 for `reduce`). */
  itemParam?: number;
}

class FileSummarizer extends FileDeclarations {
  run(): FileSummary {
    const statements = this.sourceFile.statements;
    const scope = new Scope();
    const moduleUnit = this.newUnit(MODULE_UNIT, '(top level)', this.sourceFile, undefined);
    const ctx: Ctx = { unit: moduleUnit, scope, loops: [], prefix: '' };
    this.readImports(statements, scope);
    this.declareAll(statements, ctx, true);
    this.walkStatements(statements, ctx);
    for (const [exported, local] of this.pendingExports) {
      const value = scope.lookup(local);
      if (value) this.summary.exports.set(exported, value);
    }
    for (const [unit, names] of this.unitNames) unit.names = [...names];
    this.summary.imports = [...this.relativeImports];
    if (this.text.includes('pglens-ignore')) this.summary.suppressions = findSuppressions(this.text, new LineIndex(this.text));
    return this.summary;
  }

  // ---- the walk -----------------------------------------------------------------------------------

  private walkStatements(statements: readonly ts.Statement[], ctx: Ctx): void {
    for (const statement of statements) this.visit(statement, ctx);
  }

  private visit(node: ts.Node, ctx: Ctx): void {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isConstructorDeclaration(node)) {
      // Declared here, run when called: its calls are its own, outside any loop around the declaration.
      if (node.body) this.walkFunction(node, ctx, this.unitOf.get(node), { loops: [], thisValue: this.objectThis(node) });
    } else if (isFunctionLike(node)) {
      this.walkFunction(node, ctx, this.unitOf.get(node), { loops: [], thisValue: this.objectThis(node) });
    } else if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      this.walkClass(node, ctx);
    } else if (isChainNode(node)) {
      this.visitChain(node as ts.Expression, ctx);
    } else if (ts.isVariableDeclaration(node)) {
      this.visitVariable(node, ctx);
    } else if (ts.isIterationStatement(node, false)) {
      this.visitLoop(node, ctx);
    } else if (ts.isBlock(node)) {
      const inner: Ctx = { ...ctx, scope: new Scope(ctx.scope) };
      this.declareAll(node.statements, inner, false);
      this.walkStatements(node.statements, inner);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      this.visit(node.right, ctx);
      if (ts.isIdentifier(node.left)) this.reassign(node.left.text, node.right, ctx);
      else this.visit(node.left, ctx);
    } else if (ts.isCatchClause(node)) {
      const inner: Ctx = { ...ctx, scope: new Scope(ctx.scope) };
      if (node.variableDeclaration) this.declareUnknown(node.variableDeclaration.name, inner.scope);
      this.visit(node.block, inner);
    } else if (
      ts.isImportDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isTypeNode(node) ||
      ts.isExportDeclaration(node)
    ) {
      return;
    } else {
      ts.forEachChild(node, (child) => this.visit(child, ctx));
    }
  }

  /** `this` inside a method of a declared object literal is that object. */
  private objectThis(node: ts.Node): SymValue | undefined {
    let parent = node.parent;
    if (parent && ts.isPropertyAssignment(parent)) parent = parent.parent;
    const name = parent && this.objectOf.get(parent);
    return name ? { t: 'object', name } : undefined;
  }

  private walkFunction(fn: ts.SignatureDeclaration, ctx: Ctx, unitId: string | undefined, options: WalkOptions): void {
    const unit = (unitId && this.summary.units.get(unitId)) || ctx.unit;
    const scope = new Scope(ctx.scope);
    const isArrow = ts.isArrowFunction(fn);
    const inner: Ctx = {
      unit,
      scope,
      thisValue: options.thisValue ?? (isArrow ? ctx.thisValue : undefined),
      superValue: options.superValue ?? (isArrow ? ctx.superValue : undefined),
      loops: options.loops,
      prefix: unitId ?? ctx.prefix,
    };
    fn.parameters.forEach((parameter, index) => {
      if (ts.isIdentifier(parameter.name)) {
        const name = parameter.name.text;
        const value: SymValue = this.typeValue(parameter.type) ?? (index === 0 ? options.firstParam : undefined) ?? { t: 'named', name };
        scope.declare(name, value);
        if (unitId && unit.id === unitId) unit.params.push(name);
      } else {
        this.declareUnknown(parameter.name, scope);
      }
      if (options.frame && index === (options.itemParam ?? 0)) {
        const names = new Set<string>();
        collectBindingNames(parameter.name, names);
        options.frame.info.itemNames.push(...names);
      }
    });
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return;
    if (ts.isBlock(body)) {
      this.declareAll(body.statements, inner, false);
      this.walkStatements(body.statements, inner);
    } else {
      this.visit(body, inner);
    }
  }

  private walkClass(node: ts.ClassLikeDeclaration, ctx: Ctx): void {
    const value = this.declareClass(node, ctx);
    if (value.t !== 'class') return;
    const info = this.summary.classes.get(value.name);
    const instance: SymValue = { t: 'instance', cls: value.name };
    for (const member of node.members) {
      const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
      const thisValue = isStatic ? value : instance;
      const superValue = isStatic ? info?.staticBase : info?.instanceBase;
      if ((ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member) || ts.isGetAccessor(member) || ts.isSetAccessor(member)) && member.body) {
        this.walkFunction(member, ctx, this.unitOf.get(member), { loops: [], thisValue, superValue });
      } else if (ts.isPropertyDeclaration(member) && member.initializer) {
        const init = stripTransparent(member.initializer);
        if (isFunctionLike(init)) this.walkFunction(init, ctx, this.unitOf.get(init), { loops: [], thisValue, superValue });
        else this.visit(member.initializer, { ...ctx, thisValue, superValue });
      }
    }
  }

  private visitVariable(declaration: ts.VariableDeclaration, ctx: Ctx): void {
    const init = declaration.initializer;
    if (init) {
      const bare = stripTransparent(init);
      if (isFunctionLike(bare) && this.unitOf.has(bare)) this.walkFunction(bare, ctx, this.unitOf.get(bare), { loops: [] });
      else this.visit(init, ctx);
    }
    const names = new Set<string>();
    collectBindingNames(declaration.name, names);
    if ([...names].some((name) => !ctx.scope.declaresOwn(name))) this.declareVariable(declaration, ctx);
  }

  /** `x = …` gives an unknown local a known value (`client = await pool.connect()`). */
  private reassign(name: string, right: ts.Expression, ctx: Ctx): void {
    const owner = ctx.scope.ownerOf(name);
    const current = ctx.scope.lookup(name);
    if (!owner || (current && current.t !== 'named')) return;
    const value = this.valueOf(right, ctx);
    if (value && value.t !== 'named') owner.declare(name, value);
  }

  private visitLoop(node: ts.IterationStatement, ctx: Ctx): void {
    const kind = statementLoopKind(node);
    const span = keywordSpan(node, this.sourceFile);
    const scope = new Scope(ctx.scope);
    const outer: Ctx = { ...ctx, scope };
    const frame: LoopFrame = {
      info: { kind, start: span.start, end: span.end, itemNames: [], varying: [] },
      node,
      staticList: false,
    };
    if (ts.isForStatement(node)) {
      if (node.initializer) this.visit(node.initializer, outer);
      const inner: Ctx = { ...outer, loops: [...ctx.loops, frame] };
      if (node.condition) this.visit(node.condition, inner);
      if (node.incrementor) this.visit(node.incrementor, inner);
      this.visit(node.statement, inner);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      this.visit(node.expression, ctx);
      const names = new Set<string>();
      if (ts.isVariableDeclarationList(node.initializer)) for (const d of node.initializer.declarations) collectBindingNames(d.name, names);
      else if (ts.isIdentifier(node.initializer)) names.add(node.initializer.text);
      for (const name of names) scope.declare(name, { t: 'named', name });
      frame.info.itemNames = [...names];
      frame.info.collection = this.shortText(node.expression);
      frame.staticList = ts.isForOfStatement(node) && this.isStaticList(node.expression, ctx);
      this.visit(node.statement, { ...outer, loops: [...ctx.loops, frame] });
    } else if (ts.isWhileStatement(node) || ts.isDoStatement(node)) {
      const inner: Ctx = { ...outer, loops: [...ctx.loops, frame] };
      this.visit(node.expression, inner);
      this.visit(node.statement, inner);
    }
  }

  private isStaticList(expression: ts.Expression, ctx: Ctx): boolean {
    const expr = unwrap(expression);
    if (ts.isArrayLiteralExpression(expr)) return isConstantList(expr);
    return ts.isIdentifier(expr) && ctx.scope.lookup(expr.text)?.t === 'static-list';
  }

  // ---- chains -------------------------------------------------------------------------------------

  private visitChain(expr: ts.Expression, ctx: Ctx): void {
    const chain = decompose(expr);
    const root = stripTransparent(chain.root);
    const tokens = chain.links.map((link) => link.token);
    if (isFunctionLike(root) && tokens[0] === CALL) {
      // An immediately invoked function runs here, inside whatever loop surrounds it.
      this.walkFunction(root, ctx, undefined, { loops: ctx.loops });
    } else if (!ts.isIdentifier(root) && root.kind !== ts.SyntaxKind.ThisKeyword && root.kind !== ts.SyntaxKind.SuperKeyword) {
      this.visit(chain.root, ctx);
    }
    const before: (SymValue | undefined)[] = [];
    const consumed = consumptionOf(expr);
    const outcome = classifyChain(this.tables, this.rootValue(chain.root, ctx), tokens, {
      consumed,
      rootName: rootName(chain.root),
      onToken: (index, value) => (before[index] = value),
    });
    chain.links.forEach((link, index) => {
      const node = link.node;
      if (ts.isElementAccessExpression(node)) this.visit(node.argumentExpression, ctx);
      else if (ts.isTaggedTemplateExpression(node)) this.visit(node.template, ctx);
      else if (ts.isCallExpression(node) || ts.isNewExpression(node)) this.visitArguments(chain, index, before[index], ctx, consumed);
    });
    this.recordChain(chain, outcome, ctx, consumed);
  }

  private visitArguments(chain: Chain, index: number, calleeValue: SymValue | undefined, ctx: Ctx, consumed: Consumption): void {
    const node = chain.links[index].node as ts.CallExpression | ts.NewExpression;
    const args = node.arguments ?? [];
    if (args.length === 0) return;
    const isDb = calleeValue?.t === 'db';
    const iterationArg = isDb ? undefined : iterationArgIndex(chain, index);
    const callbackRole = isDb ? callbackRoleOf(calleeValue.role) : undefined;
    // Through an import the library is known only later: the parameter stays a chain to resolve then.
    const firstParam: SymValue | undefined =
      isDb && callbackRole
        ? { t: 'db', lib: calleeValue.lib, role: callbackRole }
        : calleeValue?.t === 'import'
          ? { ...calleeValue, chain: [...calleeValue.chain, CALLBACK_PARAM] }
          : undefined;
    const method = methodBefore(chain, index);
    // A callback handed to a call that runs it before the loop moves on: a transaction, a promise
    // executor, a `.then`, or an awaited helper (`await withRetry(() => …)`).
    const runsNow =
      !!firstParam ||
      (ts.isNewExpression(node) && method === 'Promise') ||
      method === 'then' ||
      method === 'catch' ||
      method === 'finally' ||
      consumed === 'awaited';
    args.forEach((arg, argIndex) => {
      const bare = stripTransparent(arg);
      if (argIndex === iterationArg) {
        const frame = this.callbackFrame(chain, index, bare, ctx);
        if (isFunctionLike(bare)) {
          this.walkFunction(bare, ctx, undefined, { loops: [...ctx.loops, frame], frame, itemParam: method?.startsWith('reduce') ? 1 : 0 });
        } else {
          this.visit(arg, ctx);
          this.recordReference(bare, ctx, frame);
        }
      } else if (isFunctionLike(bare)) {
        this.walkFunction(bare, ctx, this.unitOf.get(bare), { loops: runsNow ? ctx.loops : [], firstParam });
      } else {
        this.visit(arg, ctx);
      }
    });
  }

  private callbackFrame(chain: Chain, index: number, callback: ts.Expression, ctx: Ctx): LoopFrame {
    const method = methodBefore(chain, index) ?? 'map';
    const previous = chain.links[index - 1]?.node;
    const call = chain.links[index].node as ts.CallExpression;
    const nameNode = previous && ts.isPropertyAccessExpression(previous) ? previous.name : chain.root;
    let collection: ts.Expression | undefined;
    if (index === 0 || (method === 'from' && index === 1) || (previous && ts.isPropertyAccessExpression(previous) && call.arguments.length > 1 && call.arguments[1] === callback)) {
      collection = call.arguments[0];
    } else if (previous && ts.isPropertyAccessExpression(previous)) {
      collection = previous.expression;
    }
    return {
      info: {
        kind: 'callback',
        method,
        start: nameNode.getStart(this.sourceFile),
        end: nameNode.end,
        collection: collection ? this.shortText(collection) : undefined,
        itemNames: [],
        varying: [],
      },
      node: isFunctionLike(callback) ? callback : call,
      staticList: !!collection && this.isStaticList(collection, ctx),
    };
  }

  /** A function passed by reference to an iterating call (`ids.map(loadUser)`) is called per element. */
  private recordReference(reference: ts.Expression, ctx: Ctx, frame: LoopFrame): void {
    const value = this.valueOf(reference, ctx);
    if (!value) return;
    const outcome = classifyChain(this.tables, value, [CALL], { consumed: 'awaited', rootName: value.t === 'named' ? value.name : undefined });
    const text = this.shortText(reference);
    const shape: CallShape = {
      callee: text,
      method: text.split('.').pop() ?? text,
      args: [{ text: frame.info.collection ? `each element of ${frame.info.collection}` : 'each element', idents: [] }],
    };
    const event = this.eventOf(outcome, shape, 'awaited', value);
    if (!event) return;
    this.addSite(ctx, event, reference.getStart(this.sourceFile), reference.end, reference, frame);
  }

  private recordChain(chain: Chain, outcome: Classified, ctx: Ctx, consumed: Consumption): void {
    if (outcome.kind === 'none') return;
    let at: number;
    if (outcome.kind === 'import') {
      at = lastCallIndex(chain);
      if (at < 0) return;
    } else at = outcome.at;
    if (outcome.kind === 'name' && ctx.loops.length === 0) {
      this.namesOf(ctx.unit).add(outcome.name);
      return;
    }
    const shape =
      outcome.kind === 'name'
        ? { callee: renderCallee(chain, at, this.sourceFile), method: outcome.name }
        : callShape(chain, at, this.sourceFile, (name) => {
            const value = ctx.scope.lookup(name);
            return value?.t === 'text' ? value.value : undefined;
          });
    const event = this.eventOf(outcome, shape, consumed);
    if (!event) return;
    this.addSite(ctx, event, chain.outer.getStart(this.sourceFile), calleeEnd(chain, at), chain.outer);
  }

  private eventOf(outcome: Classified, shape: CallShape, consumed: Consumption, referenced?: SymValue): SiteEvent | undefined {
    switch (outcome.kind) {
      case 'query':
        if (shape.sql && isTransactionControl(shape.sql)) return undefined;
        if (outcome.needsSql && !(shape.sql && looksLikeSql(shape.sql))) return { e: 'name', name: shape.method, shape };
        return { e: 'db', lib: outcome.lib, shape };
      case 'call':
        return { e: 'call', id: outcome.id, shape };
      case 'import':
        return { e: 'import', value: outcome.value, consumed, shape };
      case 'name':
        return { e: 'name', name: outcome.name, shape };
      default:
        return referenced?.t === 'named' ? { e: 'name', name: referenced.name, shape } : undefined;
    }
  }

  private addSite(ctx: Ctx, event: SiteEvent, start: number, end: number, node: ts.Node, frameOverride?: LoopFrame): void {
    const site = { event, start, end };
    if (event.e === 'name') this.namesOf(ctx.unit).add(event.name);
    else ctx.unit.sites.push(site);
    const frame = frameOverride ?? ctx.loops[ctx.loops.length - 1];
    if (!frame) return;
    varyingNames(frame);
    const check = exemptionOf(frame, node, event.e === 'name' ? undefined : event.shape, event.e === 'db');
    this.summary.loopSites.push({ ...site, unit: ctx.unit.id, loop: frame.info, ...check });
  }
}

function lastCallIndex(chain: Chain): number {
  for (let i = chain.links.length - 1; i >= 0; i--) if (chain.links[i].token === CALL || chain.links[i].token === TAG) return i;
  return -1;
}

/** End of the callee of the token at `at`: the end of `pool.query` in `pool.query(…)`. */

function calleeEnd(chain: Chain, at: number): number {
  const node = chain.links[at]?.node;
  if (!node) return chain.outer.end;
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) return node.expression.end;
  if (ts.isTaggedTemplateExpression(node)) return node.tag.end;
  return node.end;
}
