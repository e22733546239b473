import { isConnectionError } from './connection-errors';
import { redact } from './redact';

/** Why an EXPLAIN gave no plan, as a stable reason and one message a user can act on. */
export type ExplainFailureReason =
  | 'syntax'
  | 'empty'
  | 'multiple-statements'
  | 'not-explainable'
  | 'cancelled'
  | 'timeout'
  | 'lock-timeout'
  | 'read-only'
  | 'parameters'
  | 'connection'
  | 'database-error';

export interface ExplainFailure {
  ok: false;
  reason: ExplainFailureReason;
  message: string;
  /** PostgreSQL's SQLSTATE, when the server reported the error. */
  sqlState?: string;
  /** PostgreSQL's own message. */
  detail?: string;
  /** UTF-16 offset into the explained text where the error is, when PostgreSQL said. */
  offset?: number;
}

export interface FailureContext {
  aborted: boolean;
  timeouts: { statementTimeoutMs: number; lockTimeoutMs: number };
  /** Offset of the statement in the text the caller gave (errors are located inside the statement). */
  statementStart?: number;
}

/** Marks an error with where, inside the user's statement, PostgreSQL located it. */
export function locateError(error: unknown, prefixLength: number): void {
  if (typeof error !== 'object' || error === null) return;
  const position = Number((error as { position?: unknown }).position);
  if (Number.isInteger(position) && position - 1 >= prefixLength) {
    (error as { statementOffset?: number }).statementOffset = position - 1 - prefixLength;
  }
}

export function explainFailure(error: unknown, context: FailureContext): ExplainFailure {
  if (context.aborted) return { ok: false, reason: 'cancelled', message: 'The EXPLAIN was cancelled.' };
  const e = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; code?: unknown; statementOffset?: unknown };
  const detail = redact(typeof e.message === 'string' ? e.message : String(error));
  const sqlState = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  const base = { ok: false as const, detail, ...(sqlState ? { sqlState } : {}) };
  if (typeof e.statementOffset === 'number') Object.assign(base, { offset: (context.statementStart ?? 0) + e.statementOffset });

  if (isConnectionError(error)) {
    return { ...base, reason: 'connection', message: `The database connection failed (${detail}); pglens will reconnect.` };
  }
  switch (sqlState) {
    case '57014':
      if (/statement timeout/i.test(detail)) {
        const seconds = context.timeouts.statementTimeoutMs / 1000;
        return { ...base, reason: 'timeout', message: `The query ran longer than the ${seconds} s statement timeout; explain it without ANALYZE or raise the timeout.` };
      }
      return { ...base, reason: 'cancelled', message: 'The query was cancelled on the server.' };
    case '55P03':
      return {
        ...base,
        reason: 'lock-timeout',
        message: `The query waited more than ${context.timeouts.lockTimeoutMs} ms for a lock another session holds; try again when that session is done.`,
      };
    case '25006':
      return { ...base, reason: 'read-only', message: `The query tried to write inside a read-only transaction (${detail}); explain it without ANALYZE.` };
    case '42P18':
    case '42P08':
      return { ...base, reason: 'parameters', message: `PostgreSQL could not tell a parameter's type (${detail}); add a cast such as $1::int.` };
  }
  return { ...base, reason: 'database-error', message: `PostgreSQL could not plan the query: ${detail}.` };
}
