import ts from 'typescript';
import { methodBefore, renderCallee, unwrap, type Chain } from './chain';
import { hasRowLimit } from './sql-text';
import type { CallShape, ExpressionUse, Filter } from './summary';
import { CALL } from './values';

/**
 * What a query call looks like, read from its arguments: its SQL (with `$n` for interpolations), what
 * each parameter reads, the equality filters along the chain (`where({ id })`, `eq(t.id, id)`,
 * `.where('id', '=', id)`), its target table or model, and whether it pages. Feeds the message and the
 * batched rewrite; nothing here decides whether the call is a query.
 */
export function callShape(chain: Chain, at: number, sourceFile: ts.SourceFile, textOf: (name: string) => string | undefined): CallShape {
  const link = chain.links[at];
  const shape: CallShape = {
    callee: renderCallee(chain, at, sourceFile),
    method: methodBefore(chain, at) ?? 'call',
  };
  const reader = new ShapeReader(sourceFile, textOf);
  if (link && ts.isTaggedTemplateExpression(link.node)) {
    Object.assign(shape, reader.template(link.node.template), { tagged: true });
  } else if (link && (ts.isCallExpression(link.node) || ts.isNewExpression(link.node))) {
    const args = link.node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const sql = args[0] ? reader.sql(args[0]) : undefined;
    if (sql) {
      shape.sql = sql.sql;
      if (ts.isTaggedTemplateExpression(unwrap(args[0]))) shape.tagged = true;
      shape.params = sql.params ?? (args[1] && ts.isArrayLiteralExpression(unwrap(args[1])) ? (unwrap(args[1]) as ts.ArrayLiteralExpression).elements.map((e) => reader.use(e)) : undefined);
    }
    // For SQL calls the parameters say it all; arguments are kept for everything else.
    if (!shape.params) shape.args = args.slice(0, 6).map((arg) => reader.use(arg));
  }

  const filters: Filter[] = [];
  for (let i = 0; i <= at && i < chain.links.length; i++) {
    const { node, token } = chain.links[i];
    if (token !== CALL || !ts.isCallExpression(node)) continue;
    const method = methodBefore(chain, i);
    const args = node.arguments;
    reader.filtersOf(method, args, filters);
    // knex('orders'), trx('orders'), this.knex('orders'): calling the handle itself names the table.
    const callsHandle = i === 0 || (i === 1 && chain.root.kind === ts.SyntaxKind.ThisKeyword);
    const target = targetOf(method, args, callsHandle && !chain.links.slice(0, i).some((l) => l.token === CALL));
    if (target) shape.target = target;
    if (method === 'limit' || method === 'take' || args.some((arg) => objectHasKey(arg, ['take', 'limit', 'first']))) shape.limited = true;
  }
  if (filters.length) shape.filters = filters;
  // prisma.user.findMany: the model is the member before the method.
  if (!shape.target && at >= 2 && chain.links[at].token === CALL) {
    const model = chain.links[at - 2];
    if (ts.isPropertyAccessExpression(model.node) && !model.token.startsWith('$') && /^[a-z]/.test(model.token)) shape.target = model.token;
  }
  // Product.findByPk, User.findOneBy: a capitalised root is a model class.
  if (!shape.target && ts.isIdentifier(chain.root) && /^[A-Z]/.test(chain.root.text)) shape.target = chain.root.text;
  if (shape.sql && hasRowLimit(shape.sql)) shape.limited = true;
  return shape;
}

const CRITERIA_METHODS = new Set(['findOneBy', 'findBy', 'countBy', 'existsBy', 'findOneByOrFail', 'findAndCountBy']);
const WHERE_METHODS = new Set(['where', 'andWhere', 'whereRaw']);
const TARGET_METHODS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'from', 'table', 'into', 'update', 'insert', 'delete', 'getRepository']);

function targetOf(method: string | undefined, args: ts.NodeArray<ts.Expression>, isRootCall: boolean): string | undefined {
  const first = args[0] && unwrap(args[0]);
  if (!first) return undefined;
  if (!isRootCall && !(method && TARGET_METHODS.has(method))) return undefined;
  if (ts.isStringLiteralLike(first)) return first.text.split(/\s+/)[0];
  if (ts.isIdentifier(first) && method && TARGET_METHODS.has(method)) return first.text;
  return undefined;
}

function objectHasKey(arg: ts.Expression, keys: string[]): boolean {
  const object = unwrap(arg);
  return ts.isObjectLiteralExpression(object) && object.properties.some((p) => keys.includes(propertyName(p) ?? ''));
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

class ShapeReader {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly textOf: (name: string) => string | undefined,
  ) {}

  use(expr: ts.Expression): ExpressionUse {
    const text = expr.getText(this.sourceFile).replace(/\s+/g, ' ');
    const idents = identifiersRead(expr);
    const paths = pathsRead(expr);
    const use: ExpressionUse = { text: text.length > 80 ? `${text.slice(0, 77)}…` : text, idents };
    if (paths.length !== idents.length || paths.some((path, i) => path !== idents[i])) use.paths = paths;
    return use;
  }

  /** SQL text of a query argument: a literal, a template, sql`…`, a const holding one, or `{ text }`. */
  sql(arg: ts.Expression): { sql: string; params?: ExpressionUse[] } | undefined {
    const expr = unwrap(arg);
    if (ts.isStringLiteralLike(expr)) return { sql: expr.text };
    if (ts.isTemplateExpression(expr)) return this.template(expr);
    if (ts.isTaggedTemplateExpression(expr)) return this.template(expr.template);
    if (ts.isIdentifier(expr)) {
      const text = this.textOf(expr.text);
      return text === undefined ? undefined : { sql: text };
    }
    if (ts.isObjectLiteralExpression(expr)) {
      for (const property of expr.properties) {
        if (ts.isPropertyAssignment(property) && (propertyName(property) === 'text' || propertyName(property) === 'sql')) return this.sql(property.initializer);
      }
    }
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.sql(expr.left);
      return left ? { sql: `${left.sql} …` } : undefined;
    }
    return undefined;
  }

  template(template: ts.TemplateLiteral): { sql: string; params?: ExpressionUse[] } {
    if (ts.isNoSubstitutionTemplateLiteral(template)) return { sql: template.text };
    let sql = template.head.text;
    const params: ExpressionUse[] = [];
    for (const span of template.templateSpans) {
      params.push(this.use(span.expression));
      sql += `$${params.length}${span.literal.text}`;
    }
    return { sql, params };
  }

  /** Equality filters a call adds: where-style arguments, `{ where: {…} }` options, find-by criteria. */
  filtersOf(method: string | undefined, args: ts.NodeArray<ts.Expression>, into: Filter[]): void {
    if (!method) return;
    const first = args[0] && unwrap(args[0]);
    if (WHERE_METHODS.has(method) && first) {
      if (ts.isObjectLiteralExpression(first)) this.objectFilters(first, into);
      else if (ts.isStringLiteralLike(first) && args.length === 2) into.push({ column: first.text, value: this.use(args[1]) });
      else if (ts.isStringLiteralLike(first) && args.length === 3 && ts.isStringLiteralLike(unwrap(args[1])) && (unwrap(args[1]) as ts.StringLiteral).text === '=') {
        into.push({ column: first.text, value: this.use(args[2]) });
      } else if (ts.isCallExpression(first)) this.helperFilters(first, into);
      return;
    }
    if (method === 'findByPk' && first) {
      into.push({ column: 'id', value: this.use(first) });
      return;
    }
    for (const arg of args) {
      const object = unwrap(arg);
      if (!ts.isObjectLiteralExpression(object)) continue;
      if (CRITERIA_METHODS.has(method)) {
        this.objectFilters(object, into);
        return;
      }
      for (const property of object.properties) {
        if (ts.isPropertyAssignment(property) && propertyName(property) === 'where') {
          const where = unwrap(property.initializer);
          if (ts.isObjectLiteralExpression(where)) this.objectFilters(where, into);
          else if (ts.isCallExpression(where)) this.helperFilters(where, into);
        }
      }
    }
  }

  private objectFilters(object: ts.ObjectLiteralExpression, into: Filter[]): void {
    for (const property of object.properties) {
      if (ts.isShorthandPropertyAssignment(property)) {
        into.push({ column: property.name.text, value: { text: property.name.text, idents: [property.name.text], paths: [property.name.text] } });
      } else if (ts.isPropertyAssignment(property)) {
        const name = propertyName(property);
        const value = unwrap(property.initializer);
        // Operator objects (`{ in: ids }`, `{ lt: date }`) are not equality filters.
        if (name && !ts.isObjectLiteralExpression(value) && !ts.isArrayLiteralExpression(value)) into.push({ column: name, value: this.use(value) });
      }
    }
  }

  /** drizzle's `eq(table.column, value)`, combined with `and(…)`. */
  private helperFilters(call: ts.CallExpression, into: Filter[]): void {
    const name = ts.isIdentifier(call.expression) ? call.expression.text : undefined;
    if (name === 'and') {
      for (const arg of call.arguments) {
        const inner = unwrap(arg);
        if (ts.isCallExpression(inner)) this.helperFilters(inner, into);
      }
    } else if (name === 'eq' && call.arguments.length === 2) {
      const column = unwrap(call.arguments[0]);
      into.push({ column: column.getText(this.sourceFile), value: this.use(call.arguments[1]) });
    }
  }
}

/** Property paths an expression reads: `row.id` and `row.n` in `[row.id, row.n]`, `id` in `{ id }`. */
export function pathsRead(expr: ts.Node): string[] {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      found.add(node.text);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const path = accessPath(node);
      if (path) found.add(path);
      else visit(node.expression);
      return;
    }
    if (ts.isPropertyAssignment(node)) {
      visit(node.initializer);
      return;
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      found.add(node.name.text);
      return;
    }
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return [...found];
}

/** `a.b.c` for a chain of plain property accesses on an identifier. */
function accessPath(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const base = accessPath(node.expression);
    return base && `${base}.${node.name.text}`;
  }
  return undefined;
}

/** Identifiers an expression reads (not property names after a dot, not object keys). */
export function identifiersRead(expr: ts.Node): string[] {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      found.add(node.text);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      visit(node.expression);
      return;
    }
    if (ts.isPropertyAssignment(node)) {
      visit(node.initializer);
      return;
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      found.add(node.name.text);
      return;
    }
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return [...found];
}

