import type { Connection } from 'vscode-languageserver/node';

/** Where the server writes what went wrong: the client's output channel, or stderr when that fails. */
export interface Logger {
  error(message: string, error?: unknown): void;
  info(message: string): void;
}

export function connectionLogger(connection: Connection): Logger {
  const write = (level: 'error' | 'info', text: string) => {
    try {
      connection.console[level](text);
    } catch {
      // The connection is gone (the client exited); stderr is the last place left to say it.
      process.stderr.write(`${text}\n`);
    }
  };
  return {
    error: (message, error) => write('error', error === undefined ? message : `${message}: ${describeError(error)}`),
    info: (message) => write('info', message),
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
