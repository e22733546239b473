import { describeState, type ConnectionState } from '../db/connection';
import type { DatabaseStatus } from '../protocol';

/** What the status shows about where plans would come from, besides the connection's own state. */
export type StatusSource =
  | { kind: 'none'; why: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'server'; database: string; host: string; origin: string; description: string }
  | { kind: 'sandbox'; progress?: string; description?: string; problems?: number };

/**
 * The `pglens/status` notification for a connection state: a short label for the status bar
 * (`shop@localhost`, `sandbox`, `disconnected`) and one sentence saying why and what to do. Holds no
 * password: targets are described as user@host:port/database and reasons are redacted where made.
 */
export function databaseStatus(source: StatusSource, state: ConnectionState): DatabaseStatus {
  if (source.kind === 'none') return { state: 'none', label: 'no database', detail: source.why };
  if (source.kind === 'invalid') return { state: 'failed', label: 'disconnected', detail: source.message };
  const sandbox = source.kind === 'sandbox';
  switch (state.status) {
    case 'disconnected':
      return sandbox
        ? { state: 'none', label: 'sandbox', detail: 'The sandbox database starts when a query is first analysed.' }
        : { state: 'none', label: `${source.database}@${source.host}`, detail: `pglens connects to ${source.description} (${source.origin}) when a query is first analysed.` };
    case 'connecting':
      return sandbox
        ? { state: 'connecting', label: 'sandbox', detail: `Building the sandbox database from the workspace's migrations: ${source.progress ?? 'starting…'}` }
        : { state: 'connecting', label: `${source.database}@${source.host}`, detail: `Connecting to ${source.description} (${source.origin})…` };
    case 'connected':
      return {
        state: 'connected',
        label: state.label,
        detail: `PostgreSQL ${state.serverVersion} at ${state.target}, from ${source.kind === 'server' ? source.origin : 'the settings'}. Queries are planned read-only.`,
      };
    case 'embedded': {
      const problems = sandbox && source.problems ? ` ${source.problems} problem${source.problems === 1 ? '' : 's'} while building it; see the pglens output.` : '';
      const what = (sandbox && source.description) || state.label;
      return { state: 'embedded', label: 'sandbox', detail: `Plans come from the ${what}: synthetic data, not a real database.${problems}` };
    }
    case 'failed':
      return { state: 'failed', label: 'disconnected', detail: describeState(state) };
  }
}
