/**
 * Cheap tests on SQL text found at a call site. The code analysis never parses SQL: it only needs to
 * know whether a string is SQL at all, whether it is transaction control, and whether it pages.
 */
const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

/** First keyword of `sql` (upper case), after white space and comments. */
export function leadingKeyword(sql: string): string {
  const rest = sql.replace(LEADING_COMMENTS, '');
  const match = /^[A-Za-z]+/.exec(rest);
  return match ? match[0].toUpperCase() : '';
}

const STATEMENT_KEYWORDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'MERGE', 'CALL', 'COPY', 'VALUES', 'TABLE', 'UPSERT', 'REFRESH', 'TRUNCATE']);

/** Text that starts like a statement worth counting as a query. */
export function looksLikeSql(text: string): boolean {
  return STATEMENT_KEYWORDS.has(leadingKeyword(text)) || isTransactionControl(text);
}

const TRANSACTION_CONTROL = /^(?:BEGIN|COMMIT|ROLLBACK|ABORT|END|SAVEPOINT|RELEASE|START\s+TRANSACTION|SET\s+(?:LOCAL\s+|SESSION\s+)?TRANSACTION|SET\s+SESSION\s+CHARACTERISTICS|PREPARE\s+TRANSACTION|COMMIT\s+PREPARED|ROLLBACK\s+PREPARED)\b/i;

/** BEGIN, COMMIT, ROLLBACK, SAVEPOINT…: statements that frame a unit of work rather than fetch data. */
export function isTransactionControl(sql: string): boolean {
  return TRANSACTION_CONTROL.test(sql.replace(LEADING_COMMENTS, ''));
}

/** A LIMIT or FETCH FIRST clause anywhere in the text. */
export function hasRowLimit(sql: string): boolean {
  return /\bLIMIT\b|\bFETCH\s+(?:FIRST|NEXT)\b/i.test(sql);
}
