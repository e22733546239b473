import type { Node } from 'libpg-query';
import type { Catalog } from '../../schema/catalog';
import type { Severity } from '../../finding';
import { columnRefParts, nodeAs } from '../ast';
import { dmlParts, starShape, type ExpandedColumn } from '../columns';
import { quoteIdent } from '../identifiers';
import { CteScope, FromScope } from '../scope';
import { keywordAt, tokenIndexAt, tokenize } from '../tokens';
import type { SqlFix, SqlRule } from './rule';

/**
 * `select-star`: `SELECT *` or `t.*` in a row list the application receives — the top-level query
 * (every arm of a UNION), `RETURNING`, a cursor or prepared query. Stars that only feed another query
 * level (EXISTS, IN, a subquery or CTE whose columns the outer query names) are not reported; a star
 * that passes a subquery's or CTE's star on to the result is reported once, where the application
 * sees it, and only when it exposes every column of some table.
 */
export const selectStar: SqlRule = {
  code: 'select-star',
  severity: 'warning' as Severity,
  docs: { summary: '`SELECT *` or `t.*` in a result the application receives, which fetches every column of a table.' },
  check(ctx) {
    let tokens: ReturnType<typeof tokenize> | undefined;
    for (const { targets, scope } of outputLists(ctx.statement.stmt, CteScope.EMPTY, ctx.catalog)) {
      for (const node of targets) {
        const target = nodeAs(node, 'ResTarget');
        const ref = columnRefParts(target?.val);
        const location = nodeAs(target?.val, 'ColumnRef')?.location;
        if (!ref?.star || location === undefined) continue;
        const shape = starShape(scope, ref.qualifier);
        if (!shape || shape.starTables.length === 0) continue;

        const { sql } = ctx.region;
        let start: number;
        let end: number | undefined;
        let written: string;
        let replacement = (list: string) => list;
        if (location < 0) {
          // `TABLE users` stands for `SELECT * FROM users` and has no star: mark the keyword.
          start = ctx.statement.start;
          if (!keywordAt(sql, start, 'TABLE')) continue;
          end = start + 'TABLE'.length;
          written = 'TABLE';
          replacement = (list) => `SELECT ${list} FROM`;
        } else {
          start = ctx.offsetOf(location);
          end = starEnd(sql, start);
          if (end === undefined) {
            // A comment inside `t . /* … */ *`: let the lexer find the star.
            tokens ??= tokenize(sql, ctx.statement.start, ctx.statement.end);
            end = tokens.slice(tokenIndexAt(tokens, start)).find((token) => token.text === '*')?.end;
            if (end === undefined) continue;
          }
          written = ref.qualifier.length > 0 ? sql.slice(start, end) : 'SELECT *';
        }
        const tables = listing(shape.starTables);
        const qualify = ref.qualifier.length > 0 || scope.sources.length > 1;
        const fixes = shape.columns?.length ? [expandFix(replacement(columnList(shape.columns, qualify)), start, end)] : undefined;
        ctx.report({
          start,
          end,
          message: `${written} returns every column of ${tables}, including any added later. List only the columns the application needs.`,
          data: { tables: shape.starTables, columns: shape.columns?.map((column) => column.name) },
          fixes,
        });
      }
    }
  },
};

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")*"|[^\s".*()/-]+)`;
const QUALIFIED_STAR = new RegExp(String.raw`${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})*\s*\.\s*\*`, 'y');

/** The end of `*` or `t.*` starting at `start`; undefined when a comment sits inside it. */
function starEnd(sql: string, start: number): number | undefined {
  if (sql.charAt(start) === '*') return start + 1;
  QUALIFIED_STAR.lastIndex = start;
  return QUALIFIED_STAR.test(sql) ? QUALIFIED_STAR.lastIndex : undefined;
}

interface OutputList {
  targets: Node[];
  scope: FromScope;
}

/** The target lists whose rows reach the application, each with the FROM scope it is evaluated in. */
function* outputLists(stmt: Node, ctes: CteScope, catalog: Catalog): Generator<OutputList> {
  const select = nodeAs(stmt, 'SelectStmt');
  if (select) {
    if (select.intoClause) return; // SELECT … INTO creates a table
    const inner = CteScope.enter(select.withClause, ctes);
    if (select.op && select.op !== 'SETOP_NONE') {
      if (select.larg) yield* outputLists({ SelectStmt: select.larg }, inner, catalog);
      if (select.rarg) yield* outputLists({ SelectStmt: select.rarg }, inner, catalog);
      return;
    }
    if (select.targetList) yield { targets: select.targetList, scope: new FromScope(select.fromClause, inner, catalog) };
    return;
  }
  const dml = dmlParts(stmt);
  if (dml) {
    if (dml.returning) {
      yield { targets: dml.returning, scope: new FromScope(dml.from, CteScope.enter(dml.withClause, ctes), catalog) };
    }
    return;
  }
  const query = nodeAs(stmt, 'DeclareCursorStmt')?.query ?? nodeAs(stmt, 'PrepareStmt')?.query;
  if (query) yield* outputLists(query, ctes, catalog);
}

function columnList(columns: ExpandedColumn[], qualify: boolean): string {
  return columns
    .map(({ name, qualifier }) => (qualify && qualifier ? `${quoteIdent(qualifier)}.${quoteIdent(name)}` : quoteIdent(name)))
    .join(', ');
}

function expandFix(newText: string, start: number, end: number): SqlFix {
  return { title: 'List the columns explicitly', edits: [{ start, end, newText }] };
}

/** `a`, `a and b`, `a, b and c`. */
function listing(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
