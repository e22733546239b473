import type { DatabaseStatus } from '../../../server/src/protocol';

/** How the language server process is doing, as far as the client can tell. */
export type ServerState = 'starting' | 'running' | 'stopped';

export interface StatusPresentation {
  /** Status bar text, with a codicon. */
  text: string;
  tooltip: string;
  /** Draws the item in the warning colours. */
  warning: boolean;
}

/**
 * What the status bar shows for the server state and the last `pglens/status` notification. Pure, so
 * the wording is tested without an editor.
 */
export function presentStatus(server: ServerState, database: DatabaseStatus | undefined): StatusPresentation {
  if (server === 'starting') return { text: '$(sync~spin) pglens', tooltip: 'pglens: starting the language server…', warning: false };
  if (server === 'stopped') {
    return { text: '$(error) pglens: stopped', tooltip: 'pglens: the language server is not running. Click to restart it.', warning: true };
  }
  const more = 'Click for pglens actions.';
  if (!database) return { text: '$(database) pglens', tooltip: `pglens: static analysis is on. ${more}`, warning: false };
  const detail = database.detail ? `${database.detail}\n\n` : '';
  switch (database.state) {
    case 'connected':
      return { text: `$(database) ${database.label}`, tooltip: `pglens: plans come from ${database.label}.\n\n${detail}${more}`, warning: false };
    case 'embedded':
      return { text: `$(beaker) ${database.label}`, tooltip: `pglens: plans come from the embedded sandbox database.\n\n${detail}${more}`, warning: false };
    case 'connecting':
      return { text: `$(sync~spin) ${database.label}`, tooltip: `pglens: connecting to ${database.label}…\n\n${detail}${more}`, warning: false };
    case 'failed':
      return { text: `$(warning) ${database.label}`, tooltip: `pglens: not connected.\n\n${detail}${more}`, warning: true };
    case 'none':
      return { text: `$(circle-slash) ${database.label}`, tooltip: `pglens: no database; static analysis only.\n\n${detail}${more}`, warning: false };
  }
}
