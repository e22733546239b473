/**
 * Turns what a server request failed with into a message for the user. Pure (duck-typed JSON-RPC
 * errors), so the wording is unit-tested.
 */

/** A request the running server does not offer: an older server, or a feature still to come. */
export class UnsupportedByServer extends Error {
  constructor(readonly what: string) {
    super(`unsupported: ${what}`);
  }
}

const METHOD_NOT_FOUND = -32601;
const REQUEST_CANCELLED = -32800;
const SERVER_CANCELLED = -32802;

/**
 * The message to show for a failed `action` ("explain the query"), or undefined when there is nothing
 * to say (the user cancelled).
 */
export function describeServerError(error: unknown, action: string): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === REQUEST_CANCELLED || code === SERVER_CANCELLED) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnsupportedByServer || code === METHOD_NOT_FOUND || /unknown command/i.test(message)) {
    return `pglens: this version of the language server cannot ${action} yet. Update the extension, or use the hover on the query meanwhile.`;
  }
  if (/client is not running|connection (got )?disposed|pending response rejected/i.test(message)) {
    return `pglens: the language server is not running, so it cannot ${action}. Run "pglens: Restart Server".`;
  }
  return `pglens could not ${action}: ${message}`;
}
