import type { Position } from 'vscode-languageserver/node';

/**
 * Checks of what a client sent, for the handlers that trust its shape: a request is untyped JSON, and
 * one malformed field must be refused where it arrives, not fail deep inside the server.
 */
export function isPosition(position: unknown): position is Position {
  if (typeof position !== 'object' || position === null) return false;
  const { line, character } = position as { line?: unknown; character?: unknown };
  return Number.isInteger(line) && Number.isInteger(character);
}

export function isRange(range: unknown): boolean {
  const { start, end } = (range ?? {}) as { start?: unknown; end?: unknown };
  return isPosition(start) && isPosition(end);
}

/** A pglens Fix as it comes back in a diagnostic's `data`: edits and file creations of the right shape. */
export function isFix(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { title, edits, creates, preferred } = value as Record<string, unknown>;
  return (
    typeof title === 'string' &&
    Array.isArray(edits) &&
    edits.every((edit) => isObject(edit) && typeof edit.file === 'string' && typeof edit.newText === 'string' && isRange(edit.range)) &&
    (creates === undefined || (Array.isArray(creates) && creates.every((file) => isObject(file) && typeof file.file === 'string' && typeof file.content === 'string'))) &&
    (preferred === undefined || typeof preferred === 'boolean')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
