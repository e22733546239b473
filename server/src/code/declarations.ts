import { extname } from 'node:path';
import ts from 'typescript';
import { decompose, isChainNode, isFunctionLike, isTransparent, unwrap } from './chain';
import { classifyChain, stepValue } from './evaluate';
import { LIBRARIES, importRole, libraryOfModule, type LibraryModel } from './libraries';
import { collectBindingNames, type LoopFrame } from './loops';
import { lineStartsOf } from './positions';
import { Scope } from './scope';
import { emptySummary, type ClassSummary, type EvalTables, type FileSummary, type UnitSummary } from './summary';
import { BOUND, CALL, NEW, TAG, importValue, type Lib, type SymValue } from './values';

/**
 * The declaration side of the per-file pass: imports, exports (ES modules and CommonJS), classes and
 * their fields, object literals, function units, and the values expressions and declared types stand
 * for. The walk over function bodies (summarize.ts) builds on it.
 */
/** Where the walk is: the function unit, the scope, `this`, the loops around the code. */
export interface Ctx {
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

export abstract class FileDeclarations {
  protected readonly sourceFile: ts.SourceFile;
  protected readonly summary: FileSummary;
  protected readonly libs = new Set<Lib>();
  protected readonly tables: EvalTables;
  protected readonly imports = new Map<string, ImportRecord>();
  protected readonly typeNames = new Map<string, SymValue>();
  protected readonly unitOf = new Map<ts.Node, string>();
  protected readonly objectOf = new Map<ts.Node, string>();
  protected readonly classOf = new Map<ts.Node, string>();
  protected readonly unitNames = new Map<UnitSummary, Set<string>>();
  /** Per map of taken names, the next `~n` suffix to try for a name: a file with thousands of same-named functions stays linear. */
  private readonly nextSuffix = new Map<Map<string, unknown>, Map<string, number>>();
  protected readonly pendingExports: [exported: string, local: string][] = [];
  protected readonly relativeImports = new Set<string>();

  constructor(
    file: string,
    protected readonly text: string,
  ) {
    this.sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    this.summary = emptySummary(file, lineStartsOf(text));
    this.tables = { classes: this.summary.classes, objects: this.summary.objects, libs: this.summary.libs };
  }

  // ---- imports and declarations -------------------------------------------------------------------

  protected readImports(statements: readonly ts.Statement[], scope: Scope): void {
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

  protected noteModule(module: string): void {
    if (isRelative(module)) this.relativeImports.add(module);
    const lib = libraryOfModule(module);
    if (lib && !this.libs.has(lib.lib)) {
      this.libs.add(lib.lib);
      this.summary.libs.push(lib.lib);
    }
  }

  protected bindImport(scope: Scope, local: string, module: string, imported: string): void {
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
  protected moduleValue(module: string, imported: string, local: string): SymValue {
    const lib = imported === 'PrismaClient' ? LIBRARIES.prisma : libraryOfModule(module);
    if (lib) {
      const role = importRole(lib, imported) ?? (imported === '*' ? importRole(lib, 'default') : undefined);
      return role ? { t: 'db', lib: lib.lib, role } : { t: 'inert' };
    }
    if (isRelative(module)) return importValue(module, imported);
    return { t: 'named', name: local };
  }

  /** Binds every declaration of a block before walking it, so uses may precede declarations. */
  protected declareAll(statements: readonly ts.Statement[], ctx: Ctx, topLevel: boolean): void {
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

  protected declareExport(statement: ts.Statement, ctx: Ctx): void {
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

  protected declareExportedValue(exported: string, expression: ts.Expression, ctx: Ctx): void {
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

  protected declareVariable(declaration: ts.VariableDeclaration, ctx: Ctx): void {
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

  protected declareUnknown(name: ts.BindingName, scope: Scope): void {
    const names = new Set<string>();
    collectBindingNames(name, names);
    for (const local of names) scope.declare(local, { t: 'named', name: local });
  }

  protected declareObject(name: string, literal: ts.ObjectLiteralExpression, ctx: Ctx): SymValue {
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

  protected declareClass(node: ts.ClassLikeDeclaration, ctx: Ctx, fallbackName?: string): SymValue {
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
  protected declareConstructorFields(member: ts.ConstructorDeclaration, info: ClassSummary, ctx: Ctx, instance: SymValue): void {
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
  protected valueOf(expression: ts.Expression, ctx: Ctx): SymValue | undefined {
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

  protected rootValue(root: ts.Expression, ctx: Ctx): SymValue | undefined {
    if (ts.isIdentifier(root)) return ctx.scope.lookup(root.text) ?? { t: 'named', name: root.text };
    return this.valueOf(root, ctx);
  }

  /** The value of a parameter or field of a declared type: `Pool`, `Knex.Transaction`, `OrderRepository`. */
  protected typeValue(type: ts.TypeNode | undefined): SymValue | undefined {
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

  // ---- helpers ------------------------------------------------------------------------------------

  protected unitFor(node: ts.Node, name: string, prefix: string, nameNode: ts.Node | undefined, exactId = false): string {
    const existing = this.unitOf.get(node);
    if (existing) return existing;
    const id = this.uniqueName(exactId || !prefix ? name : `${prefix}>${name}`, this.summary.units);
    const display = id.slice(id.lastIndexOf('>') + 1).replace('#', '.').replace(/~\d+$/, '');
    this.newUnit(id, display, nameNode ?? node, node);
    return id;
  }

  protected newUnit(id: string, name: string, rangeNode: ts.Node, node: ts.Node | undefined): UnitSummary {
    const start = rangeNode === this.sourceFile ? 0 : rangeNode.getStart(this.sourceFile);
    const end = rangeNode === this.sourceFile ? 0 : rangeNode.end;
    const unit: UnitSummary = { id, name, start, end, params: [], sites: [], names: [] };
    this.summary.units.set(id, unit);
    if (node) this.unitOf.set(node, id);
    return unit;
  }

  protected namesOf(unit: UnitSummary): Set<string> {
    let names = this.unitNames.get(unit);
    if (!names) this.unitNames.set(unit, (names = new Set()));
    return names;
  }

  protected uniqueName(name: string, taken: Map<string, unknown>): string {
    if (!taken.has(name)) return name;
    let suffixes = this.nextSuffix.get(taken);
    if (!suffixes) this.nextSuffix.set(taken, (suffixes = new Map()));
    // Names are only ever added, so every suffix below the one handed out last is still taken.
    for (let n = suffixes.get(name) ?? 2; ; n++) {
      if (!taken.has(`${name}~${n}`)) {
        suffixes.set(name, n + 1);
        return `${name}~${n}`;
      }
    }
  }

  protected shortText(node: ts.Node): string {
    const text = node.getText(this.sourceFile).replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }
}

export function scriptKind(file: string): ts.ScriptKind {
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


export function isRelative(module: string): boolean {
  return module === '.' || module === '..' || module.startsWith('./') || module.startsWith('../');
}


export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((modifier) => modifier.kind === kind);
}


export function stripTransparent(expr: ts.Expression): ts.Expression {
  let node = expr;
  while (isTransparent(node)) node = node.expression;
  return node;
}


export function rootName(root: ts.Expression): string | undefined {
  return ts.isIdentifier(root) ? root.text : undefined;
}

/** `require('m')` → `m`. */

export function requiredModule(expr: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'require') return undefined;
  const [arg] = expr.arguments;
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

/** An array of literals (or of objects of literals): a fixed list written in the code. */

export function isConstantList(array: ts.ArrayLiteralExpression): boolean {
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

