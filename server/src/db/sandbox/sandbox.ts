import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxStartError, type Sandbox, type SandboxOptions } from './sandbox-types';
import { startSandboxInWorker } from './worker-host';

export { describeSandbox } from './describe';
export type { SandboxProblem } from './apply-migrations';
export type { TableFill } from './generate-data';
export type { MigrationSource, MigrationTool } from './migrations';
export { SandboxStartError } from './sandbox-types';
export type { Sandbox, SandboxClient, SandboxFacts, SandboxOptions, SandboxProgress, SandboxQueryResult, SandboxTimings } from './sandbox-types';

/**
 * The embedded default database: PostgreSQL in WASM (PGlite), in memory, built from the workspace's own
 * migrations and filled with synthetic rows at the scale `.pglens.json` declares, so plans look like
 * production's without a server. Resolves with a sandbox that serves whatever could be built (problems
 * are in `sandbox.problems`); rejects with SandboxStartError only when PGlite itself cannot start.
 * Call `close()` when done: it frees about 700 MB.
 */
export function startSandbox(root: string, options: SandboxOptions = {}): Promise<Sandbox> {
  const worker = options.worker ?? bundledWorker();
  if (worker) return startSandboxInWorker(root, options, worker);
  // The server and CLI bundles leave PGlite (half a megabyte) to the worker they ship with: the build
  // sets this variable, and the other branch, with PGlite, is left out of them.
  if (process.env.PGLENS_BUNDLED_WITH_WORKER === 'true') {
    return Promise.reject(new SandboxStartError(`the embedded database's worker (${WORKER_BUNDLE}) is missing beside the pglens server; reinstall pglens`));
  } else {
    // From the sources (tests), PGlite runs in this thread.
    return import('./in-thread').then(({ startSandboxInThread }) => startSandboxInThread(root, options));
  }
}

/** The file name the build gives the worker entry (server/src/db/sandbox/worker-main.ts). */
export const WORKER_BUNDLE = 'sandbox-worker.js';

/** `sandbox-worker.js` next to the running bundle, when the build shipped it. */
function bundledWorker(): string | undefined {
  const candidate = join(__dirname, WORKER_BUNDLE);
  return existsSync(candidate) ? candidate : undefined;
}
