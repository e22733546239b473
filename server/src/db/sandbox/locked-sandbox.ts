import type { SandboxProblem } from './apply-migrations';
import { ExclusiveLock } from './exclusive-lock';
import type { TableFill } from './generate-data';
import type { MigrationSource } from './migrations';
import type { Sandbox, SandboxClient, SandboxFacts, SandboxQueryResult, SandboxTimings } from './sandbox-types';

/**
 * What every sandbox shares whatever hosts PGlite: its facts, and one connection handed out in turn
 * (`query` for one statement, `connect` to hold it across several), closed once.
 */
export abstract class LockedSandbox implements Sandbox {
  readonly serverVersion: string;
  readonly majorVersion: number;
  readonly description: string;
  readonly migrations: MigrationSource;
  readonly applied: string[];
  readonly problems: SandboxProblem[];
  readonly tables: TableFill[];
  readonly syntheticRows: number;
  readonly timings: SandboxTimings;
  private readonly lock = new ExclusiveLock();
  private closing: Promise<void> | undefined;

  constructor(facts: SandboxFacts) {
    this.serverVersion = facts.serverVersion;
    this.majorVersion = facts.majorVersion;
    this.description = facts.description;
    this.migrations = facts.migrations;
    this.applied = facts.applied;
    this.problems = facts.problems;
    this.tables = facts.tables;
    this.syntheticRows = facts.syntheticRows;
    this.timings = facts.timings;
  }

  /** Runs one statement on the connection; called only while the lock is held. */
  protected abstract run<R>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>>;

  /** Frees the database; called once, with the lock held. */
  protected abstract shutdown(): Promise<void>;

  /** Why queries cannot run any more, when they cannot. */
  protected unavailable(): string | undefined {
    return this.closing ? 'The sandbox database is closed; start it again to run queries.' : undefined;
  }

  async query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>> {
    const release = await this.lock.acquire();
    try {
      return await this.guardedRun<R>(text, values);
    } finally {
      release();
    }
  }

  async connect(): Promise<SandboxClient> {
    const release = await this.lock.acquire();
    let released = false;
    return {
      query: <R>(text: string, values?: unknown[]) => {
        if (released) return Promise.reject(new Error('This sandbox client was released; call connect() again.'));
        return this.guardedRun<R>(text, values);
      },
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    };
  }

  close(): Promise<void> {
    this.closing ??= this.lock.acquire().then(async (release) => {
      try {
        await this.shutdown();
      } finally {
        release();
      }
    });
    return this.closing;
  }

  private async guardedRun<R>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>> {
    const reason = this.unavailable();
    if (reason) throw new Error(reason);
    return this.run<R>(text, values);
  }
}
