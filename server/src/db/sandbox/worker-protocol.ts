import type { RowTargets } from './scale';
import type { SandboxFacts, SandboxProgress, SandboxQueryResult } from './sandbox-types';

/** Messages between the sandbox host (the caller's thread) and the worker thread running PGlite. */
export type ToWorker =
  | { kind: 'start'; root: string; rows?: RowTargets }
  | { kind: 'query'; id: number; text: string; values?: unknown[] }
  | { kind: 'close' };

export type FromWorker =
  | { kind: 'progress'; event: SandboxProgress }
  | { kind: 'ready'; facts: SandboxFacts }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; result: SandboxQueryResult<unknown> }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'closed' };

/** A PostgreSQL error's own fields (code, position, detail…), as plain data. */
export type SerializedError = { message: string } & Record<string, string | number | undefined>;

const ERROR_FIELDS = ['severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'];

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = error as unknown as Record<string, unknown>;
  const out: SerializedError = { message: error.message, name: error.name };
  for (const key of ERROR_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  return out;
}

/** An Error carrying the same fields as the original, so callers read `code` and `position` as from `pg`. */
export function reviveError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  Object.assign(error, serialized);
  return error;
}
