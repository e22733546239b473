import { extname } from 'node:path';
import ts from 'typescript';
import { findSuppressions } from '../suppress';
import { LineIndex } from '../text/line-index';
import { callShape } from './call-shape';
import { decompose, isChainNode, isFunctionLike, isTransparent, methodBefore, renderCallee, unwrap, type Chain } from './chain';
import { consumptionOf } from './consumption';
import { classifyChain, stepValue, type Classified, type Consumption } from './evaluate';
import { LIBRARIES, callbackRoleOf, importRole, libraryOfModule, type LibraryModel } from './libraries';
import { collectBindingNames, exemptionOf, iterationArgIndex, keywordSpan, statementLoopKind, varyingNames, type LoopFrame } from './loops';
import { lineStartsOf } from './positions';
import { Scope } from './scope';
import { isTransactionControl, looksLikeSql } from './sql-text';
import type { CallShape, ClassSummary, EvalTables, FileSummary, SiteEvent, UnitSummary } from './summary';
import { BOUND, CALL, CALLBACK_PARAM, NEW, TAG, importValue, type Lib, type SymValue } from './values';

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

interface Ctx {
  unit: UnitSummary;
  scope: Scope;
  thisValue?: SymValue;
  superValue?: SymValue;
  loops: LoopFrame[];
  /** Id prefix for functions declared inside this one. */
  prefix: string;
}

interface ImportRecord {
  module: string;
  imported: string;
  lib?: LibraryModel;
}

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

class FileSummarizer {
  private readonly sourceFile: ts.SourceFile;
  private readonly summary: FileSummary;
  private readonly libs = new Set<Lib>();
  private readonly tables: EvalTables;
  private readonly imports = new Map<string, ImportRecord>();
  private readonly typeNames = new Map<string, SymValue>();
  private readonly unitOf = new Map<ts.Node, string>();
  private readonly objectOf = new Map<ts.Node, string>();
  private readonly classOf = new Map<ts.Node, string>();
  private readonly unitNames = new Map<UnitSummary, Set<string>>();
  private readonly pendingExports: [exported: string, local: string][] = [];
  private readonly relativeImports = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    this.summary = {
      file,
      lineStarts: lineStartsOf(text),
      libs: [],
      imports: [],
      exports: new Map(),
      starExports: [],
      classes: new Map(),
      objects: new Map(),
      units: new Map(),
      loopSites: [],
      suppressions: [],
    };
    this.tables = { classes: this.summary.classes, objects: this.summary.objects, libs: this.summary.libs };
  }

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

  // ---- imports and declarations -------------------------------------------------------------------

  private readImports(statements: readonly ts.Statement[], scope: Scope): void {
    for (const statement of statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const module = statement.moduleSpecifier.text;
        this.noteModule(module);
        const clause = statement.importClause;
        if (!clause) continue;
        if (clause.name) this.bindImport(scope, clause.name.text, module, 'default');
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) this.bindImport(scope, bindings.name.text, module, '*');
        else if (bindings) {
          for (const element of bindings.elements) this.bindImport(scope, element.name.text, module, (element.propertyName ?? element.name).text);
        }
      } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
        const reference = statement.moduleReference.expression;
        if (ts.isStringLiteral(reference)) {
          this.noteModule(reference.text);
          this.bindImport(scope, statement.name.text, reference.text, '*');
        }
      }
    }
  }

  private noteModule(module: string): void {
    if (isRelative(module)) this.relativeImports.add(module);
    const lib = libraryOfModule(module);
    if (lib && !this.libs.has(lib.lib)) {
      this.libs.add(lib.lib);
      this.summary.libs.push(lib.lib);
    }
  }

  private bindImport(scope: Scope, local: string, module: string, imported: string): void {
    const lib = imported === 'PrismaClient' ? LIBRARIES.prisma : libraryOfModule(module);
    this.imports.set(local, { module, imported, lib });
    scope.declare(local, this.moduleValue(module, imported, local));
    if (lib) {
      const type = lib.types[imported];
      if (type) this.typeNames.set(local, { t: 'db', lib: lib.lib, role: type });
    } else if (isRelative(module)) {
      this.typeNames.set(local, importValue(module, imported, [NEW]));
    }
  }

  /** What `imported` of `module` is: a library role, an import to resolve later, or an unknown name. */
  private moduleValue(module: string, imported: string, local: string): SymValue {
    const lib = imported === 'PrismaClient' ? LIBRARIES.prisma : libraryOfModule(module);
    if (lib) {
      const role = importRole(lib, imported) ?? (imported === '*' ? importRole(lib, 'default') : undefined);
      return role ? { t: 'db', lib: lib.lib, role } : { t: 'inert' };
    }
    if (isRelative(module)) return importValue(module, imported);
    return { t: 'named', name: local };
  }

  /** Binds every declaration of a block before walking it, so uses may precede declarations. */
  private declareAll(statements: readonly ts.Statement[], ctx: Ctx, topLevel: boolean): void {
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) && statement.body) {
        const name = statement.name?.text ?? 'default';
        const id = this.unitFor(statement, name, ctx.prefix, statement.name);
        ctx.scope.declare(name, { t: 'fn', id });
        if (topLevel && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
          this.summary.exports.set(hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : name, { t: 'fn', id });
        }
      }
    }
    for (const statement of statements) {
      if (ts.isClassDeclaration(statement)) {
        const value = this.declareClass(statement, ctx);
        const name = statement.name?.text ?? 'default';
        ctx.scope.declare(name, value);
        if (topLevel && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
          this.summary.exports.set(hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : name, value);
        }
      } else if (ts.isVariableStatement(statement)) {
        const exported = topLevel && hasModifier(statement, ts.SyntaxKind.ExportKeyword);
        for (const declaration of statement.declarationList.declarations) {
          this.declareVariable(declaration, ctx);
          if (!exported) continue;
          const names = new Set<string>();
          collectBindingNames(declaration.name, names);
          for (const name of names) {
            const value = ctx.scope.lookup(name);
            if (value) this.summary.exports.set(name, value);
          }
        }
      } else if (topLevel) {
        this.declareExport(statement, ctx);
      }
    }
  }

  private declareExport(statement: ts.Statement, ctx: Ctx): void {
    const exports = this.summary.exports;
    if (ts.isExportDeclaration(statement)) {
      const module = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      if (module) this.noteModule(module);
      const clause = statement.exportClause;
      if (!clause) {
        if (module) this.summary.starExports.push(module);
      } else if (ts.isNamespaceExport(clause)) {
        if (module) exports.set(clause.name.text, this.moduleValue(module, '*', clause.name.text));
      } else {
        for (const element of clause.elements) {
          const local = (element.propertyName ?? element.name).text;
          if (module) exports.set(element.name.text, this.moduleValue(module, local, element.name.text));
          else this.pendingExports.push([element.name.text, local]);
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      this.declareExportedValue(statement.isExportEquals ? 'module.exports' : 'default', statement.expression, ctx);
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      // CommonJS: module.exports = …, module.exports.name = …, exports.name = …
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left)) return;
      const target = left.expression.getText(this.sourceFile);
      if (target === 'module' && left.name.text === 'exports') this.declareExportedValue('module.exports', right, ctx);
      else if (target === 'exports' || target === 'module.exports') this.declareExportedValue(left.name.text, right, ctx);
    }
  }

  private declareExportedValue(exported: string, expression: ts.Expression, ctx: Ctx): void {
    const expr = stripTransparent(expression);
    const exports = this.summary.exports;
    if (ts.isIdentifier(expr)) {
      this.pendingExports.push([exported, expr.text]);
    } else if (isFunctionLike(expr)) {
      exports.set(exported, { t: 'fn', id: this.unitFor(expr, expr.name?.text ?? exported, ctx.prefix, expr.name) });
    } else if (ts.isObjectLiteralExpression(expr)) {
      const object = this.declareObject(exported, expr, ctx);
      exports.set(exported, object);
      if (exported === 'module.exports') {
        const properties = this.summary.objects.get((object as { name: string }).name);
        for (const [name, value] of properties ?? []) exports.set(name, value);
      }
    } else if (ts.isClassExpression(expr)) {
      exports.set(exported, this.declareClass(expr, ctx, exported));
    } else {
      const value = this.valueOf(expr, ctx);
      if (value) exports.set(exported, value);
    }
  }

  private declareVariable(declaration: ts.VariableDeclaration, ctx: Ctx): void {
    const init = declaration.initializer && stripTransparent(declaration.initializer);
    const name = declaration.name;
    if (ts.isIdentifier(name)) {
      if (init && isFunctionLike(init)) {
        ctx.scope.declare(name.text, { t: 'fn', id: this.unitFor(init, name.text, ctx.prefix, name) });
      } else if (init && ts.isObjectLiteralExpression(init)) {
        ctx.scope.declare(name.text, this.declareObject(name.text, init, ctx));
      } else if (init && ts.isClassExpression(init)) {
        ctx.scope.declare(name.text, this.declareClass(init, ctx, name.text));
      } else {
        const value = this.typeValue(declaration.type) ?? (init ? this.valueOf(init, ctx) : undefined);
        ctx.scope.declare(name.text, value ?? { t: 'named', name: name.text });
      }
    } else if (ts.isObjectBindingPattern(name)) {
      const source = init ? this.valueOf(init, ctx) : undefined;
      for (const element of name.elements) {
        const key = element.propertyName ?? element.name;
        const keyText = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
        if (ts.isIdentifier(element.name)) {
          const stepped = source && keyText && !element.dotDotDotToken ? stepValue(this.tables, source, keyText) : undefined;
          const value = stepped?.kind === 'value' ? stepped.value : undefined;
          ctx.scope.declare(element.name.text, value ?? { t: 'named', name: element.name.text });
        } else {
          this.declareUnknown(element.name, ctx.scope);
        }
      }
    } else {
      this.declareUnknown(name, ctx.scope);
    }
  }

  private declareUnknown(name: ts.BindingName, scope: Scope): void {
    const names = new Set<string>();
    collectBindingNames(name, names);
    for (const local of names) scope.declare(local, { t: 'named', name: local });
  }

  private declareObject(name: string, literal: ts.ObjectLiteralExpression, ctx: Ctx): SymValue {
    const objectName = this.uniqueName(ctx.prefix ? `${ctx.prefix}>${name}` : name, this.summary.objects);
    const properties = new Map<string, SymValue>();
    this.summary.objects.set(objectName, properties);
    this.objectOf.set(literal, objectName);
    for (const property of literal.properties) {
      const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
      if (!key) continue;
      if (ts.isMethodDeclaration(property) && property.body) {
        properties.set(key, { t: 'fn', id: this.unitFor(property, `${objectName}.${key}`, '', property.name, true) });
      } else if (ts.isPropertyAssignment(property)) {
        const init = stripTransparent(property.initializer);
        if (isFunctionLike(init)) properties.set(key, { t: 'fn', id: this.unitFor(init, `${objectName}.${key}`, '', property.name, true) });
        else if (!ts.isObjectLiteralExpression(init)) {
          const value = this.valueOf(init, ctx);
          if (value) properties.set(key, value);
        }
      } else if (ts.isShorthandPropertyAssignment(property)) {
        properties.set(key, ctx.scope.lookup(key) ?? { t: 'named', name: key });
      }
    }
    return { t: 'object', name: objectName };
  }

  private declareClass(node: ts.ClassLikeDeclaration, ctx: Ctx, fallbackName?: string): SymValue {
    const existing = this.classOf.get(node);
    if (existing) return { t: 'class', name: existing };
    const name = node.name?.text ?? fallbackName ?? 'default';
    const className = this.uniqueName(ctx.prefix ? `${ctx.prefix}>${name}` : name, this.summary.classes);
    const info: ClassSummary = { methods: [], statics: [], fields: {} };
    this.summary.classes.set(className, info);
    this.classOf.set(node, className);
    this.typeNames.set(name, { t: 'instance', cls: className });
    const instance: SymValue = { t: 'instance', cls: className };

    const extendsClause = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
    const base = extendsClause?.types[0] ? this.valueOf(extendsClause.types[0].expression, ctx) : undefined;
    if (base?.t === 'db') {
      const sub = LIBRARIES[base.lib].subclass?.[base.role];
      if (sub?.statics) info.staticBase = { t: 'db', lib: base.lib, role: sub.statics };
      if (sub?.instances) info.instanceBase = { t: 'db', lib: base.lib, role: sub.instances };
    } else if (base?.t === 'class') {
      info.staticBase = base;
      info.instanceBase = { t: 'instance', cls: base.name };
    } else if (base?.t === 'import') {
      info.staticBase = base;
      info.instanceBase = { ...base, chain: [...base.chain, NEW] };
    }

    for (const member of node.members) {
      const memberName = member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
      const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
      const id = (key: string) => `${className}${isStatic ? '.' : '#'}${key}`;
      if ((ts.isMethodDeclaration(member) || ts.isGetAccessor(member)) && memberName && member.body) {
        this.unitFor(member, id(memberName), '', member.name, true);
        if (ts.isMethodDeclaration(member)) (isStatic ? info.statics : info.methods).push(memberName);
      } else if (ts.isPropertyDeclaration(member) && memberName) {
        const init = member.initializer && stripTransparent(member.initializer);
        if (init && isFunctionLike(init)) {
          this.unitFor(init, id(memberName), '', member.name, true);
          (isStatic ? info.statics : info.methods).push(memberName);
        } else if (!isStatic) {
          const value = this.typeValue(member.type) ?? (init ? this.valueOf(init, { ...ctx, thisValue: instance }) : undefined);
          if (value) info.fields[memberName] = value;
        }
      } else if (ts.isConstructorDeclaration(member)) {
        if (member.body) this.unitFor(member, `${className}#constructor`, '', undefined, true);
        this.declareConstructorFields(member, info, ctx, instance);
      }
    }
    return { t: 'class', name: className };
  }

  /** Fields from parameter properties (`private db: Pool`) and `this.x = …` in the constructor. */
  private declareConstructorFields(member: ts.ConstructorDeclaration, info: ClassSummary, ctx: Ctx, instance: SymValue): void {
    const scope = new Scope(ctx.scope);
    for (const parameter of member.parameters) {
      if (!ts.isIdentifier(parameter.name)) continue;
      const value = this.typeValue(parameter.type) ?? { t: 'named', name: parameter.name.text };
      scope.declare(parameter.name.text, value);
      if (ts.canHaveModifiers(parameter) && ts.getModifiers(parameter)?.length) info.fields[parameter.name.text] = value;
    }
    for (const statement of member.body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
      const current = info.fields[left.name.text];
      if (current && current.t !== 'named') continue;
      const value = this.valueOf(right, { ...ctx, scope, thisValue: instance });
      if (value) info.fields[left.name.text] = value;
    }
  }

  // ---- values -------------------------------------------------------------------------------------

  /** The value an expression evaluates to, without recording anything. */
  private valueOf(expression: ts.Expression, ctx: Ctx): SymValue | undefined {
    const expr = unwrap(expression);
    if (ts.isIdentifier(expr)) return ctx.scope.lookup(expr.text) ?? (expr.text === 'undefined' ? undefined : { t: 'named', name: expr.text });
    if (expr.kind === ts.SyntaxKind.ThisKeyword) return ctx.thisValue;
    if (expr.kind === ts.SyntaxKind.SuperKeyword) return ctx.superValue;
    const required = requiredModule(expr);
    if (required !== undefined) {
      this.noteModule(required);
      return this.moduleValue(required, '*', required);
    }
    if (ts.isStringLiteralLike(expr)) return { t: 'text', value: expr.text };
    if (ts.isTemplateExpression(expr)) {
      let text = expr.head.text;
      expr.templateSpans.forEach((span, i) => (text += `$${i + 1}${span.literal.text}`));
      return { t: 'text', value: text };
    }
    if (ts.isArrayLiteralExpression(expr)) return isConstantList(expr) ? { t: 'static-list' } : undefined;
    if (ts.isConditionalExpression(expr)) return this.valueOf(expr.whenTrue, ctx) ?? this.valueOf(expr.whenFalse, ctx);
    if (ts.isBinaryExpression(expr) && (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return this.valueOf(expr.left, ctx) ?? this.valueOf(expr.right, ctx);
    }
    if (isChainNode(expr)) {
      const chain = decompose(expr);
      const tokens = chain.links.map((link) => link.token);
      const outcome = classifyChain(this.tables, this.rootValue(chain.root, ctx), tokens, { consumed: undefined, rootName: rootName(chain.root) });
      if (outcome.kind === 'none' && outcome.value) return outcome.value;
      if (outcome.kind === 'import') {
        const ran = outcome.value.chain.some((token) => token === CALL || token === TAG);
        return ran ? { ...outcome.value, chain: [...outcome.value.chain, BOUND] } : outcome.value;
      }
      const last = tokens[tokens.length - 1];
      if (outcome.kind === 'none' && last && last !== CALL && last !== TAG && last !== NEW) return { t: 'named', name: last };
    }
    return undefined;
  }

  private rootValue(root: ts.Expression, ctx: Ctx): SymValue | undefined {
    if (ts.isIdentifier(root)) return ctx.scope.lookup(root.text) ?? { t: 'named', name: root.text };
    return this.valueOf(root, ctx);
  }

  /** The value of a parameter or field of a declared type: `Pool`, `Knex.Transaction`, `OrderRepository`. */
  private typeValue(type: ts.TypeNode | undefined): SymValue | undefined {
    if (!type) return undefined;
    if (ts.isParenthesizedTypeNode(type)) return this.typeValue(type.type);
    if (ts.isUnionTypeNode(type)) {
      for (const member of type.types) {
        const value = this.typeValue(member);
        if (value) return value;
      }
      return undefined;
    }
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const name = type.typeName;
    if (ts.isIdentifier(name)) return this.typeNames.get(name.text);
    if (!ts.isIdentifier(name.left)) return undefined;
    const record = this.imports.get(name.left.text);
    if (!record?.lib) return undefined;
    const whole = record.imported === 'default' || record.imported === '*';
    const role = record.lib.types[whole ? name.right.text : `${record.imported}.${name.right.text}`] ?? (whole ? undefined : record.lib.types[name.right.text]);
    return role ? { t: 'db', lib: record.lib.lib, role } : undefined;
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

  // ---- helpers ------------------------------------------------------------------------------------

  private unitFor(node: ts.Node, name: string, prefix: string, nameNode: ts.Node | undefined, exactId = false): string {
    const existing = this.unitOf.get(node);
    if (existing) return existing;
    const id = this.uniqueName(exactId || !prefix ? name : `${prefix}>${name}`, this.summary.units);
    const display = id.slice(id.lastIndexOf('>') + 1).replace('#', '.').replace(/~\d+$/, '');
    this.newUnit(id, display, nameNode ?? node, node);
    return id;
  }

  private newUnit(id: string, name: string, rangeNode: ts.Node, node: ts.Node | undefined): UnitSummary {
    const start = rangeNode === this.sourceFile ? 0 : rangeNode.getStart(this.sourceFile);
    const end = rangeNode === this.sourceFile ? 0 : rangeNode.end;
    const unit: UnitSummary = { id, name, start, end, params: [], sites: [], names: [] };
    this.summary.units.set(id, unit);
    if (node) this.unitOf.set(node, id);
    return unit;
  }

  private namesOf(unit: UnitSummary): Set<string> {
    let names = this.unitNames.get(unit);
    if (!names) this.unitNames.set(unit, (names = new Set()));
    return names;
  }

  private uniqueName(name: string, taken: Map<string, unknown>): string {
    if (!taken.has(name)) return name;
    for (let n = 2; ; n++) if (!taken.has(`${name}~${n}`)) return `${name}~${n}`;
  }

  private shortText(node: ts.Node): string {
    const text = node.getText(this.sourceFile).replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }
}

function scriptKind(file: string): ts.ScriptKind {
  switch (extname(file).toLowerCase()) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

function isRelative(module: string): boolean {
  return module === '.' || module === '..' || module.startsWith('./') || module.startsWith('../');
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((modifier) => modifier.kind === kind);
}

function stripTransparent(expr: ts.Expression): ts.Expression {
  let node = expr;
  while (isTransparent(node)) node = node.expression;
  return node;
}

function rootName(root: ts.Expression): string | undefined {
  return ts.isIdentifier(root) ? root.text : undefined;
}

/** `require('m')` → `m`. */
function requiredModule(expr: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'require') return undefined;
  const [arg] = expr.arguments;
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

/** An array of literals (or of objects of literals): a fixed list written in the code. */
function isConstantList(array: ts.ArrayLiteralExpression): boolean {
  const isConstant = (node: ts.Expression): boolean =>
    ts.isStringLiteralLike(node) ||
    ts.isNumericLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isObjectLiteralExpression(node) && node.properties.every((p) => ts.isPropertyAssignment(p) && isConstant(p.initializer))) ||
    (ts.isArrayLiteralExpression(node) && node.elements.every(isConstant));
  return array.elements.length > 0 && array.elements.every(isConstant);
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
