import type { Position } from 'vscode-languageserver/node';
import type { ConnectionState } from '../db/connection';
import type { PlanDatabase } from '../db/plan-database';
import { SERVER_COMMANDS } from '../protocol';
import { codeSpan, escapeMarkdown } from './markdown';

/** The client's command that opens the plan view (contributed by the VS Code extension). */
export const SHOW_PLAN_COMMAND = 'pglens.showPlan';

/** Where a plan came from, in one line; the sandbox is named as such, never passed off as a database. */
export function planOrigin(database: PlanDatabase, sandboxDescription?: string): string {
  const state: ConnectionState = database.state;
  if (database.kind === 'sandbox') {
    const what = sandboxDescription ? ` (${escapeMarkdown(sandboxDescription.replace(/^sandbox \(([^)]*)\)/, '$1'))})` : '';
    return `**Sandbox plan**: from the embedded database built from the workspace's migrations${what}, on synthetic data; not a real database.`;
  }
  if (state.status === 'connected') return `Plan from ${codeSpan(state.label)} (PostgreSQL ${escapeMarkdown(state.serverVersion)}).`;
  return 'Plan from the connected database.';
}

/** Command links under a plan: run it with ANALYZE, open it in the plan view. */
export function planLinks(uri: string, position: Position): string {
  const analyze = commandLink(SERVER_COMMANDS.explain, [uri, position, true]);
  const show = commandLink(SHOW_PLAN_COMMAND, [uri, position]);
  return `[Run EXPLAIN ANALYZE](${analyze}) · [Show Plan](${show})`;
}

function commandLink(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
