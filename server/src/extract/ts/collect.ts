import * as ts from 'typescript';
import type { RegionOrigin } from '../region';
import { assembleTemplate, assembleText, isSqlText, unwrap, type AssembledSql } from './assemble';
import { NO_BINDINGS } from './bindings';
import { hostEscaper } from './literal-kind';
import { classifyCall, classifyTag, type Certainty, type SqlSite } from './query-callees';
import type { ScriptSqlRegion } from './script-region';
import { looksLikeStatement, opensStatement } from './sql-start';
import { hasSqlMarker, mayHaveSqlMarkers, skipTrivia } from './trivia';

/** A query call that receives a const by name: `pool.query(GET_USER, [id])`. */
interface ConstUse {
  site: SqlSite;
  callee: string;
  callSpan: { start: number; end: number };
}

// Read once: the walk switches on these for every node of the file.
const { forEachChild } = ts;
const CALL = ts.SyntaxKind.CallExpression;
const TAGGED_TEMPLATE = ts.SyntaxKind.TaggedTemplateExpression;
const DECLARATION_LIST = ts.SyntaxKind.VariableDeclarationList;
const MARKABLE: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateExpression,
  ts.SyntaxKind.BinaryExpression,
]);

const MARKED: SqlSite = {
  certainty: 'certain',
  rawInterpolations: true,
  bindings: { ...NO_BINDINGS, pgPromiseNamed: true, operandReplacements: true },
};
const CERTAINTY_RANK: Readonly<Record<Certainty, number>> = { certain: 2, tag: 1, generic: 0 };

/**
 * One walk over the syntax tree (iterative, so deeply nested code cannot overflow the stack) that finds
 * query calls, sql tags, `/* sql *\/` literals and SQL consts, pushing regions into `out` as it goes so a
 * failure part-way keeps what was found.
 */
export function collectSqlRegions(sourceFile: ts.SourceFile, text: string, out: ScriptSqlRegion[]): void {
  new Collector(text, out).run(sourceFile);
}

class Collector {
  /** Token starts of expressions already turned into regions. */
  private readonly handled = new Set<number>();
  /** Nested sql tags inlined into an enclosing template. */
  private readonly consumed = new Set<ts.Node>();
  private readonly consts = new Map<string, ts.Expression[]>();
  private readonly constUses = new Map<string, ConstUse>();
  private readonly markers: boolean;

  constructor(
    private readonly text: string,
    private readonly out: ScriptSqlRegion[],
  ) {
    this.markers = mayHaveSqlMarkers(text);
  }

  run(root: ts.Node): void {
    // Children go straight onto the stack, so siblings are visited last to first; nothing here depends
    // on sibling order (regions are sorted at the end), only on parents coming before their children.
    const stack: ts.Node[] = [root];
    const push = (child: ts.Node): undefined => {
      stack.push(child);
      return undefined;
    };
    const markers = this.markers;
    while (stack.length > 0) {
      const node = stack.pop() as ts.Node;
      const kind = node.kind;
      // Most nodes are none of these; testing the kind here keeps the hot loop free of calls.
      if (kind === CALL || kind === TAGGED_TEMPLATE || kind === DECLARATION_LIST || (markers && MARKABLE.has(kind))) {
        this.visitGuarded(node);
      }
      forEachChild(node, push);
    }
    this.resolveConstUses();
  }

  private visitGuarded(node: ts.Node): void {
    try {
      this.visit(node);
    } catch {
      // One unreadable site never costs the rest of the file.
    }
  }

  private visit(node: ts.Node): void {
    switch (node.kind) {
      case CALL:
        return this.visitCall(node as ts.CallExpression);
      case TAGGED_TEMPLATE:
        return this.visitTag(node as ts.TaggedTemplateExpression);
      case DECLARATION_LIST:
        return this.visitDeclarations(node as ts.VariableDeclarationList);
      default:
        if (this.markers && MARKABLE.has(node.kind)) this.visitMarkedLiteral(node as ts.Expression);
    }
  }

  private visitCall(call: ts.CallExpression): void {
    const site = classifyCall(call.expression);
    const firstArgument = call.arguments[0];
    if (!site || !firstArgument) return;
    const argument = unwrap(firstArgument);
    const callee = this.sourceOf(call.expression);
    const callSpan = this.spanOf(call);
    if (ts.isIdentifier(argument)) return this.noteConstUse(argument.text, { site, callee, callSpan });
    // node-postgres also takes a query config: pool.query({ text: '…', values })
    const sqlArgument = ts.isObjectLiteralExpression(argument) ? queryConfigText(argument) : argument;
    if (!sqlArgument) return;
    if (ts.isIdentifier(sqlArgument)) return this.noteConstUse(sqlArgument.text, { site, callee, callSpan });
    if (isSqlText(sqlArgument)) this.addTextRegion(sqlArgument, site, 'query-call', callee, callSpan);
  }

  private visitTag(tagged: ts.TaggedTemplateExpression): void {
    if (this.consumed.has(tagged)) return;
    const tag = classifyTag(tagged.tag);
    if (!tag || tag.fragmentOnly) return;
    const assembled = assembleTemplate(tagged.template, {
      text: this.text,
      bindings: tag.bindings,
      rawInterpolations: tag.rawInterpolations,
      consumed: this.consumed,
    });
    this.addRegion(assembled, tag, 'tagged-template', this.sourceOf(tagged.tag), this.spanOf(tagged));
  }

  private visitDeclarations(list: ts.VariableDeclarationList): void {
    if (!(list.flags & ts.NodeFlags.Const)) return;
    for (const declaration of list.declarations) {
      const initializer = declaration.initializer;
      if (!ts.isIdentifier(declaration.name) || !initializer || !isSqlText(initializer)) continue;
      const name = declaration.name.text;
      const known = this.consts.get(name);
      if (known) known.push(initializer);
      else this.consts.set(name, [initializer]);
    }
  }

  private visitMarkedLiteral(literal: ts.Expression): void {
    const start = skipTrivia(this.text, literal.pos, literal.end);
    if (this.handled.has(start) || !hasSqlMarker(this.text, literal.pos, start) || !isSqlText(literal)) return;
    this.addTextRegion(literal, MARKED, 'sql-comment', undefined, undefined);
  }

  private noteConstUse(name: string, use: ConstUse): void {
    const known = this.constUses.get(name);
    const rank = known ? CERTAINTY_RANK[use.site.certainty] - CERTAINTY_RANK[known.site.certainty] : 1;
    // The surest call wins; among equals, the first in the document.
    if (!known || rank > 0 || (rank === 0 && use.callSpan.start < known.callSpan.start)) this.constUses.set(name, use);
  }

  /** Consts are declared anywhere in the file, before or after their use, so they are matched at the end. */
  private resolveConstUses(): void {
    for (const [name, use] of this.constUses) {
      for (const initializer of this.consts.get(name) ?? []) {
        try {
          this.addTextRegion(initializer, use.site, 'sql-const', use.callee, use.callSpan);
        } catch {
          // as in visitGuarded
        }
      }
    }
  }

  private addTextRegion(
    expression: ts.Expression,
    site: SqlSite,
    origin: RegionOrigin,
    callee: string | undefined,
    callSpan: ScriptSqlRegion['callSpan'],
  ): void {
    const start = skipTrivia(this.text, expression.pos, expression.end);
    if (this.handled.has(start)) return;
    this.handled.add(start);
    const assembled = assembleText(expression, {
      text: this.text,
      bindings: site.bindings,
      rawInterpolations: site.rawInterpolations,
      consumed: this.consumed,
    });
    if (assembled) this.addRegion(assembled, site, origin, callee, callSpan);
  }

  private addRegion(
    assembled: AssembledSql,
    site: SqlSite,
    origin: RegionOrigin,
    callee: string | undefined,
    callSpan: ScriptSqlRegion['callSpan'],
  ): void {
    const { assembler, kind } = assembled;
    const { sql, map } = assembler.build();
    if (sql.trim() === '') return;
    const region: ScriptSqlRegion = {
      sql,
      map,
      origin,
      explicit: isStatementSite(sql, site.certainty) && assembler.placeholdersInValuePositions,
      interpolations: assembler.sites.length,
      escapeForHost: hostEscaper(kind),
      interpolationSites: assembler.sites,
    };
    if (callee !== undefined) region.callee = callee;
    if (callSpan) region.callSpan = callSpan;
    this.out.push(region);
  }

  /** Source text of a callee or tag as written, without line breaks and indentation. */
  private sourceOf(node: ts.Node): string {
    const start = skipTrivia(this.text, node.pos, node.end);
    const written = this.text.slice(start, Math.min(node.end, start + 200));
    return /\s/.test(written) ? written.replace(/\s+/g, '') : written;
  }

  private spanOf(node: ts.Node): { start: number; end: number } {
    return { start: skipTrivia(this.text, node.pos, node.end), end: node.end };
  }
}

function isStatementSite(sql: string, certainty: Certainty): boolean {
  if (certainty === 'certain') return true;
  return certainty === 'tag' ? opensStatement(sql) : looksLikeStatement(sql);
}

/** The `text` of a node-postgres query config object: `{ text: '…', values }`. */
function queryConfigText(config: ts.ObjectLiteralExpression): ts.Expression | undefined {
  for (const property of config.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = property.name;
    if ((ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'text') return unwrap(property.initializer);
  }
  return undefined;
}
