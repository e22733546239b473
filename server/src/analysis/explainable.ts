import type { AnalyzedStatement } from '../analyze';
import { walkNodes } from '../db/ast';
import { statementFacts } from '../db/statement-facts';
import type { ParsedStatement } from '../sql/parse';

/** A statement of a document that the plan stage sends to EXPLAIN. */
export interface ExplainableStatement {
  statement: AnalyzedStatement & { statement: ParsedStatement };
  /** The statement's SQL as sent: the region's text between the statement's bounds. */
  sql: string;
  /** INSERT, UPDATE, DELETE, MERGE, or a SELECT that writes or locks rows. */
  write: boolean;
}

/**
 * The statement as EXPLAIN would run it, or undefined when EXPLAIN cannot (DDL, SET, SELECT INTO, a
 * statement that did not parse) or when its plan cannot hold a finding because it reads no table
 * (`INSERT … VALUES`, `SELECT 1`) unless `requireTable` is false (the user asked for this plan): a
 * seed file of ten thousand INSERTs costs no round trip. Decided from the AST, never from the text.
 */
export function explainable(statement: AnalyzedStatement, requireTable = true): ExplainableStatement | undefined {
  const parsed = statement.statement;
  if (!parsed) return undefined;
  const facts = factsOf(parsed);
  if (facts.kind === 'refused') return undefined;
  if (requireTable && !facts.readsTable) return undefined;
  return {
    statement: statement as ExplainableStatement['statement'],
    sql: statement.region.sql.slice(parsed.start, parsed.end),
    write: facts.kind === 'write',
  };
}

/** Parsed statements are memoised (by text), so their ASTs are too: read each one's facts once. */
const known = new WeakMap<object, { kind: 'read' | 'write' | 'refused'; readsTable: boolean }>();

function factsOf(parsed: ParsedStatement): { kind: 'read' | 'write' | 'refused'; readsTable: boolean } {
  let facts = known.get(parsed.stmt);
  if (!facts) known.set(parsed.stmt, (facts = { kind: statementFacts(parsed.stmt).statement.kind, readsTable: readsTable(parsed) }));
  return facts;
}

/** True when some table reference is read: any RangeVar but an INSERT's own target. */
function readsTable(parsed: ParsedStatement): boolean {
  let references = 0;
  walkNodes(parsed.stmt, (type) => {
    if (type === 'RangeVar') references++;
  });
  return references > ('InsertStmt' in parsed.stmt ? 1 : 0);
}
