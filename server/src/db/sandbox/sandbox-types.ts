import type { SandboxProblem } from './apply-migrations';
import type { TableFill } from './generate-data';
import type { MigrationSource } from './migrations';
import type { RowTargets } from './scale';

/** The sandbox's public shape, shared by the in-thread and the worker-thread implementations. */
export type SandboxProgress =
  | { phase: 'starting'; message: string }
  | { phase: 'migration'; message: string; file: string; index: number; total: number; ms: number }
  | { phase: 'data'; message: string; table: string; rows: number; total: number }
  | { phase: 'analyze'; message: string }
  | { phase: 'ready'; message: string; ms: number };

export interface SandboxOptions {
  onProgress?: (event: SandboxProgress) => void;
  /** Rows per table, replacing `rows` in .pglens.json (CLI flags, tests); `{}` builds the schema only. */
  rows?: RowTargets;
  /**
   * The bundled worker script (`sandbox-worker.js`) to host PGlite in a worker thread, so its long
   * synchronous WASM calls never stall the caller's event loop. Default: that file next to the running
   * bundle when it exists, else PGlite runs in this thread. `false` forces this thread.
   */
  worker?: string | false;
}

export interface SandboxQueryResult<R> {
  rows: R[];
  fields: { name: string; dataTypeID: number }[];
  rowCount: number;
}

/** One caller's exclusive use of the sandbox's single connection, for multi-statement work (BEGIN … ROLLBACK). */
export interface SandboxClient {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>>;
  release(): void;
}

export interface SandboxTimings {
  startMs: number;
  migrationsMs: number;
  dataMs: number;
  analyzeMs: number;
  totalMs: number;
}

export interface Sandbox {
  /** e.g. `18.6`. */
  readonly serverVersion: string;
  readonly majorVersion: number;
  /** One line for status and hover: `sandbox (PGlite, PostgreSQL 18) built from 4 migrations, 855,000 synthetic rows`. */
  readonly description: string;
  readonly migrations: MigrationSource;
  /** Workspace-relative names of the migration files that applied cleanly. */
  readonly applied: string[];
  /** Everything that went wrong, each with what to do; the sandbox still serves. */
  readonly problems: SandboxProblem[];
  readonly tables: TableFill[];
  readonly syntheticRows: number;
  readonly timings: SandboxTimings;
  /** One statement, waiting its turn behind any held client. Do not call while holding a client. */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>>;
  /** Exclusive use of the connection until `release()`; like `pg.Pool#connect`. */
  connect(): Promise<SandboxClient>;
  close(): Promise<void>;
}

export class SandboxStartError extends Error {}

/** What a built sandbox knows about itself; plain data, so it crosses a worker boundary as is. */
export interface SandboxFacts {
  serverVersion: string;
  majorVersion: number;
  description: string;
  migrations: MigrationSource;
  applied: string[];
  problems: SandboxProblem[];
  tables: TableFill[];
  syntheticRows: number;
  timings: SandboxTimings;
}
