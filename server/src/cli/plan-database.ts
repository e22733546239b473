import { resolveConnectionTarget } from '../db/connection-target';
import { PlanDatabase } from '../db/plan-database';
import { discoverMigrations } from '../db/sandbox/migrations';
import type { SandboxProgress } from '../db/sandbox/sandbox';
import type { PglensSettings } from '../config';
import type { CliIo } from './io';
import { PRODUCT_NAME } from './product';
import { oneShot } from './one-shot';

/**
 * The database the CLI plans on, resolved in the documented order: `--db`, `databaseUrl` in
 * .pglens.json, DATABASE_URL in the workspace's .env, the DATABASE_URL and PG* environment variables
 * with ~/.pgpass, then — when `database.embedded` allows and the workspace has migrations or a
 * schema.sql — the embedded sandbox, with its progress on stderr.
 */
export type CliDatabase =
  | { kind: 'database'; database: PlanDatabase; description: string }
  | { kind: 'none' }
  | { kind: 'failed'; message: string };

export interface CliDatabaseOptions {
  /** `--db`. */
  url?: string;
  settings: PglensSettings;
  /** Where .env, .pglens.json and the migrations are looked for. */
  workspaceRoot: string;
  io: CliIo;
}

export async function openCliDatabase(options: CliDatabaseOptions): Promise<CliDatabase> {
  const { settings, io } = options;
  const fromFlag = options.url !== undefined;
  const resolution = await resolveConnectionTarget({
    setting: fromFlag ? options.url : settings.databaseUrl,
    settingName: fromFlag ? '--db' : 'databaseUrl in .pglens.json',
    workspaceRoot: options.workspaceRoot,
    env: io.env,
  });
  if (resolution.kind === 'invalid') return { kind: 'failed', message: resolution.message };
  const pool = { maxConnections: settings.database.maxConnections, statementTimeoutMs: settings.explain.statementTimeoutMs, heartbeatMs: 0 };
  if (resolution.kind === 'target') {
    const database = new PlanDatabase({ kind: 'server', target: resolution.target }, pool);
    for (const note of resolution.target.notes) io.stderr.write(`${PRODUCT_NAME}: note: ${note}\n`);
    const state = await database.connect();
    if (state.status !== 'connected') {
      await database.dispose();
      const reason = state.status === 'failed' ? state.reason : 'the connection did not open.';
      return { kind: 'failed', message: `cannot use the database from ${resolution.target.origin} (${resolution.target.description}): ${oneShot(reason)}` };
    }
    return { kind: 'database', database, description: `${state.label}, PostgreSQL ${state.serverVersion}` };
  }
  if (!settings.database.embedded) return { kind: 'none' };
  const migrations = await discoverMigrations(options.workspaceRoot);
  if (migrations.tool === 'none') return { kind: 'none' };
  const progress = sandboxProgress(io);
  const database = new PlanDatabase({ kind: 'sandbox', root: options.workspaceRoot, onProgress: progress.report }, pool);
  const state = await database.connect();
  progress.done();
  if (state.status !== 'embedded') {
    await database.dispose();
    return { kind: 'failed', message: state.status === 'failed' ? oneShot(state.reason) : 'the sandbox database did not start.' };
  }
  const sandbox = await database.builtSandbox();
  for (const problem of sandbox?.problems ?? []) {
    io.stderr.write(`${PRODUCT_NAME}: warning: sandbox: ${problem.file ? `${problem.file}: ` : ''}${problem.message}\n`);
  }
  return { kind: 'database', database, description: sandbox?.description ?? state.label };
}

/**
 * Progress while the sandbox builds: on a terminal one line rewritten in place; otherwise a line per
 * phase (so CI logs show where the time went without a line per chunk of rows).
 */
function sandboxProgress(io: CliIo): { report: (event: SandboxProgress) => void; done: () => void } {
  const prefix = `${PRODUCT_NAME}: sandbox: `;
  let open = false;
  return {
    report: (event) => {
      const message = event.phase === 'ready' ? `${event.message} (${(event.ms / 1000).toFixed(1)} s)` : event.message;
      if (io.stderr.isTTY) {
        io.stderr.write(`\r\u001b[2K${prefix}${message}`);
        open = true;
        if (event.phase === 'ready') {
          io.stderr.write('\n');
          open = false;
        }
        return;
      }
      const last = event.phase === 'data' ? event.rows === event.total : event.phase !== 'migration' || event.index === event.total;
      if (last) io.stderr.write(`${prefix}${message}\n`);
    },
    done: () => {
      if (open) io.stderr.write('\n');
    },
  };
}
