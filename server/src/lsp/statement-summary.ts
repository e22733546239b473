import type { Node } from 'libpg-query';
import type { AnalyzedStatement } from '../analyze';
import { qualifiedName, statementTables } from '../sql/tables';
import { codeSpan } from './markdown';

/**
 * The first hover section on a query: what kind of statement it is, the tables it reads and writes,
 * and how many parameters it takes.
 */
export function statementSummary(statement: AnalyzedStatement): string {
  if (!statement.statement) return '**Invalid SQL**: PostgreSQL cannot parse this statement.';
  const stmt = statement.statement.stmt;
  const lines = [`**${statementLabel(stmt)}**`];
  const { reads, writes } = statementTables(stmt);
  if (reads.length) lines.push(`Reads: ${reads.map((table) => codeSpan(qualifiedName(table))).join(', ')}`);
  if (writes.length) lines.push(`Writes: ${writes.map((table) => codeSpan(qualifiedName(table))).join(', ')}`);
  const parameters = parameterCount(stmt);
  lines.push(`Parameters: ${parameters === 0 ? 'none' : parameters}`);
  // Two trailing spaces: a Markdown line break that keeps the lines together in one paragraph.
  return lines.join('  \n');
}

const LABELS: Record<string, string> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  ViewStmt: 'CREATE VIEW',
  CreateSeqStmt: 'CREATE SEQUENCE',
  CreateTrigStmt: 'CREATE TRIGGER',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  RenameStmt: 'ALTER … RENAME',
};

/** `SELECT`, `CREATE INDEX`, `BEGIN`, … for a parsed statement. */
export function statementLabel(stmt: Node): string {
  const [type, body] = Object.entries(stmt)[0] ?? ['', {}];
  const fields = (body ?? {}) as Record<string, unknown>;
  if (type === 'SelectStmt' && Array.isArray(fields.valuesLists)) return 'VALUES';
  if (type === 'TransactionStmt' && typeof fields.kind === 'string') return words(fields.kind.replace(/^TRANS_STMT_/, ''));
  if (type === 'DropStmt' && typeof fields.removeType === 'string') return `DROP ${words(fields.removeType.replace(/^OBJECT_/, ''))}`;
  if (type === 'CreateTableAsStmt') return fields.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
  return LABELS[type] ?? words(type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'));
}

function words(text: string): string {
  return text.replace(/_/g, ' ').toUpperCase();
}

/** The highest `$n` the statement uses: the number of parameters a caller must bind. */
export function parameterCount(stmt: Node): number {
  let highest = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const param = record.ParamRef as { number?: number } | undefined;
    if (param && typeof param.number === 'number') highest = Math.max(highest, param.number);
    for (const child of Object.values(record)) visit(child);
  };
  visit(stmt);
  return highest;
}
