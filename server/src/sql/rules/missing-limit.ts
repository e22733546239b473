import type { SelectStmt } from 'libpg-query';
import type { Severity } from '../../finding';
import { firstLocation, nodeAs } from '../ast';
import { selectBound } from '../cardinality';
import { CteScope, sourceLabel, type Source } from '../scope';
import { keywordAt, plainStatementEnd, tokenIndexAt, tokenize, type SqlToken } from '../tokens';
import type { SqlRule, SqlRuleContext } from './rule';

/**
 * `missing-limit`: a statement-level SELECT that can return every row of a table. Only the SELECT
 * whose rows go to the application is checked: not subqueries, not the source of INSERT … SELECT,
 * CREATE VIEW / CREATE TABLE AS / SELECT INTO, COPY, cursors or EXPLAIN. Bounded queries are left
 * alone (see `selectBound`), and so is an explicit `LIMIT ALL`. The finding sits on the SELECT keyword.
 */
export const missingLimit: SqlRule = {
  code: 'missing-limit',
  severity: 'information' as Severity,
  docs: { summary: 'A SELECT without LIMIT that can return every row of a table, however large it grows.' },
  check(ctx) {
    const select = nodeAs(ctx.statement.stmt, 'SelectStmt');
    if (!select || select.intoClause || select.limitCount) return;
    const bound = selectBound(select, CteScope.EMPTY, ctx.catalog);
    if (bound.bounded) return;

    // The lexer is only needed for statements that do not start with SELECT, or that have comments
    // or a FOR clause; the common case is read straight from the text.
    const { sql } = ctx.region;
    const { start, end } = ctx.statement;
    let tokens: SqlToken[] | undefined;
    const allTokens = (): SqlToken[] => (tokens ??= statementTokens(sql, start, end));
    const keyword = keywordAt(sql, start, 'SELECT') ? { start, end: start + 'SELECT'.length } : selectKeyword(ctx, select, allTokens());
    const plainEnd = /\bfor\b/i.test(sql.slice(start, end)) ? undefined : plainStatementEnd(sql, start, end);
    const insertAt = plainEnd ?? limitInsertionPoint(allTokens());
    if (keyword === undefined || insertAt === undefined) return;
    const limit = ctx.settings.missingLimit.limit;
    const tables = tablesOf(bound.unpinned);
    ctx.report({
      start: keyword.start,
      end: keyword.end,
      message:
        `This SELECT has no LIMIT and returns every matching row of ${tables}, however large it grows. ` +
        'Add a LIMIT (with ORDER BY to page), or filter on a primary or unique key if one row is expected.',
      data: { tables: bound.unpinned.map(sourceLabel), limit },
      fixes: [{ title: `Add LIMIT ${limit}`, edits: [{ start: insertAt, end: insertAt, newText: ` LIMIT ${limit}` }] }],
    });
  },
};

/** The statement's tokens without a trailing `;`. */
function statementTokens(sql: string, start: number, end: number): SqlToken[] {
  const tokens = tokenize(sql, start, end);
  while (tokens.length > 0 && tokens[tokens.length - 1].text === ';') tokens.pop();
  return tokens;
}

/** The SELECT keyword of the query's first arm (after any WITH clause); the first token otherwise (`TABLE t`). */
function selectKeyword(ctx: SqlRuleContext, select: SelectStmt, tokens: SqlToken[]): SqlToken | undefined {
  let first = select;
  while (first.op && first.op !== 'SETOP_NONE' && first.larg) first = first.larg;
  const targetLocation = nodeAs(first.targetList?.[0], 'ResTarget')?.location;
  const location = targetLocation !== undefined && targetLocation >= 0 ? targetLocation : firstLocation(first.fromClause?.[0]);
  if (location === undefined) return tokens[0];
  const before = tokens.slice(0, tokenIndexAt(tokens, ctx.offsetOf(location)));
  return before.reverse().find((token) => token.keyword === 'SELECT') ?? tokens[0];
}

const LOCK_STRENGTHS = new Set(['UPDATE', 'SHARE', 'NO', 'KEY']);

/** After the last token, or before a `FOR UPDATE` / `FOR SHARE` locking clause, which must come last. */
function limitInsertionPoint(tokens: SqlToken[]): number | undefined {
  if (tokens.length === 0) return undefined;
  const lock = tokens.findIndex(
    (token, i) => i > 0 && token.depth === 0 && token.keyword === 'FOR' && LOCK_STRENGTHS.has(tokens[i + 1]?.keyword ?? ''),
  );
  return lock > 0 ? tokens[lock - 1].end : tokens[tokens.length - 1].end;
}

function tablesOf(sources: Source[]): string {
  const names = [...new Set(sources.map(sourceLabel))];
  if (names.length === 0) return 'its sources';
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
