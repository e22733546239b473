import type { Range } from '../../finding';
import { codePointsToUtf16, parseSql, loadParser } from '../../sql/parse';
import { LineIndex } from '../../text/line-index';
import { asPostgresError, type PostgresError, type SqlExecutor } from './executor';
import { readMigrationSql, type MigrationFile } from './migrations';

/**
 * Applies migration files in order, each in its own transaction. A file that fails is rolled back and
 * reported with its line and PostgreSQL's message; the files after it are still tried, so one broken
 * migration costs only what depends on it.
 */
export interface SandboxProblem {
  phase: 'config' | 'migration' | 'data';
  /** Workspace-relative file the problem is in, when there is one. */
  file?: string;
  /** Where in `file`, 0-based UTF-16 as in LSP, when known. */
  range?: Range;
  /** For the user: what went wrong and what to do. */
  message: string;
  /** PostgreSQL's SQLSTATE, when the database reported the problem. */
  sqlState?: string;
}

export interface MigrationOutcome {
  applied: MigrationFile[];
  problems: SandboxProblem[];
}

/** SQLSTATE 25001: the statement cannot run inside a transaction block (CREATE INDEX CONCURRENTLY, …). */
const ACTIVE_SQL_TRANSACTION = '25001';

export async function applyMigrations(
  db: SqlExecutor,
  files: MigrationFile[],
  onApplied?: (file: MigrationFile, ms: number) => void,
): Promise<MigrationOutcome> {
  await loadParser();
  const applied: MigrationFile[] = [];
  const problems: SandboxProblem[] = [];
  for (const file of files) {
    const started = performance.now();
    let sql: string;
    try {
      sql = await readMigrationSql(file);
    } catch (error) {
      problems.push({ phase: 'migration', file: file.name, message: `Could not read ${file.name} (${asPostgresError(error).message}); check that the file is readable.` });
      continue;
    }
    const failure = await applyOne(db, sql);
    if (failure) problems.push(describeFailure(file, sql, failure));
    else {
      applied.push(file);
      onApplied?.(file, performance.now() - started);
    }
  }
  return { applied, problems };
}

interface Failure {
  error: PostgresError;
  /** UTF-16 offset in the file of the statement that failed (the error position counts from here). */
  statementStart: number;
}

/** The file's statements, as spans of its text; one span (the whole file) when it does not parse. */
function statementSpans(sql: string): { start: number; end: number }[] {
  const parsed = parseSql(sql);
  if (!parsed.ok) return [{ start: 0, end: sql.length }];
  return parsed.statements
    .filter((s) => !('TransactionStmt' in s.stmt)) // the file's own BEGIN/COMMIT: we provide the transaction
    .map((s) => ({ start: s.start, end: s.end }));
}

async function applyOne(db: SqlExecutor, sql: string): Promise<Failure | undefined> {
  const spans = statementSpans(sql);
  const inTransaction = await runStatements(db, sql, spans, true);
  if (inTransaction?.error.code !== ACTIVE_SQL_TRANSACTION) return inTransaction;
  return runStatements(db, sql, spans, false); // the file needs autocommit; it was rolled back, so rerun it
}

async function runStatements(
  db: SqlExecutor,
  sql: string,
  spans: { start: number; end: number }[],
  transaction: boolean,
): Promise<Failure | undefined> {
  if (transaction) await db.exec('BEGIN');
  for (const span of spans) {
    try {
      await db.exec(sql.slice(span.start, span.end));
    } catch (error) {
      if (transaction) await db.exec('ROLLBACK').catch(() => undefined);
      return { error: asPostgresError(error), statementStart: span.start };
    }
  }
  if (transaction) {
    try {
      await db.exec('COMMIT');
    } catch (error) {
      await db.exec('ROLLBACK').catch(() => undefined);
      return { error: asPostgresError(error), statementStart: spans.at(-1)?.start ?? 0 };
    }
  }
  return undefined;
}

function describeFailure(file: MigrationFile, sql: string, failure: Failure): SandboxProblem {
  const lines = new LineIndex(sql);
  const position = Number(failure.error.position);
  const offset = Number.isInteger(position) && position > 0
    ? failure.statementStart + codePointsToUtf16(sql.slice(failure.statementStart), position - 1)
    : failure.statementStart;
  const start = lines.positionAt(offset);
  const wordEnd = /^[^\s;(),]*/.exec(sql.slice(offset))?.[0].length ?? 0;
  const end = lines.positionAt(offset + Math.max(1, wordEnd));
  const detail = failure.error.detail ? ` (${failure.error.detail})` : '';
  const left = leftOut(failure.error.message);
  const advice = left ? ` ${left}` : ' Fix the migration;';
  return {
    phase: 'migration',
    file: file.name,
    range: { start, end },
    sqlState: failure.error.code,
    message: `Migration ${file.name} failed at line ${start.line + 1}: ${left ? firstLine(failure.error.message) : failure.error.message}${detail}.${advice} the sandbox was built without it.`,
  };
}

/** What to do when a migration needs a part of PostgreSQL the sandbox leaves out (scripts/pglite-assets.mjs). */
function leftOut(message: string): string | undefined {
  if (/could not load library "[^"]*\/\w+_and_\w+\.so"/.test(message)) {
    return 'The sandbox leaves out PostgreSQL’s encoding conversions (it speaks UTF-8 only): save the migration as UTF-8 without SET client_encoding or convert_to/convert_from, or connect a development database;';
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}

