import type { Session } from '../db/queryable';
import type { Plan } from '../plan/model';
import type { IndexDefinition } from './index-definition';
import type { Planner } from './planner';
import type { AdvisorSettings } from './settings';

/**
 * How a candidate index is put in front of the planner without leaving anything behind: hypopg's
 * hypothetical indexes, or a real index built inside a transaction that is rolled back. Both plan the
 * query on one held connection inside one transaction; `end()` always leaves the connection clean.
 */
export type VerificationMethod = 'hypopg' | 'transaction';

export interface TrialIndex {
  /** The name plan nodes show the index by (hypopg's `<oid>btree_…`, or the trial index's name). */
  name: string;
  sizeBytes: number;
}

export type TrialOutcome = { ok: true; plan: Plan; indexes: TrialIndex[] } | { ok: false; reason: string };

export interface Verifier {
  readonly method: VerificationMethod;
  /** Opens the transaction the plans are made in. */
  begin(): Promise<void>;
  /** The statement's plan with the indexes that exist. */
  plan(): Promise<Plan>;
  /** The plan with sequential scans discouraged: which existing indexes could serve the query at all. */
  planWithoutSeqScans(): Promise<Plan>;
  /** The plan with `indexes` added; an outcome, never an exception, when one cannot be tried. */
  tryIndexes(indexes: readonly IndexDefinition[]): Promise<TrialOutcome>;
  /** Planner calls so far. */
  readonly plannerCalls: number;
  /** Ends the transaction and removes whatever was created; never throws. */
  end(): Promise<void>;
}

/**
 * What both methods share: the held session, the planner, the transaction they open with the advisor's
 * timeouts, and the plans made in it without trial indexes.
 */
export abstract class PlanningVerifier {
  constructor(
    protected readonly session: Session,
    protected readonly planner: Planner,
    protected readonly settings: AdvisorSettings,
  ) {}

  get plannerCalls(): number {
    return this.planner.calls;
  }

  plan(): Promise<Plan> {
    return this.planner.plan();
  }

  async planWithoutSeqScans(): Promise<Plan> {
    await this.session.control(['SET LOCAL enable_seqscan = off']);
    try {
      return await this.planner.plan();
    } finally {
      await this.session.control(['SET LOCAL enable_seqscan = on']);
    }
  }

  /** BEGIN with the advisor's timeouts and the planner's settings. */
  protected openTransaction(access: 'READ ONLY' | 'READ WRITE'): Promise<void> {
    return this.session.control([
      `BEGIN ${access}`,
      `SET LOCAL statement_timeout = ${this.settings.statementTimeoutMs}`,
      `SET LOCAL lock_timeout = ${this.settings.lockTimeoutMs}`,
      ...this.planner.transactionSettings(),
    ]);
  }
}

/** One sentence on why a trial failed, from a PostgreSQL error. */
export function trialFailure(error: unknown, context: { lockTimeoutMs: number; statementTimeoutMs: number }): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case '55P03':
      return `its table is locked by another session (waited ${context.lockTimeoutMs} ms); try again when the table is idle, or install hypopg to verify without building the index`;
    case '57014':
      return `building it took longer than ${context.statementTimeoutMs} ms (advisor.statementTimeoutMs); raise the setting or install hypopg`;
    case '42501':
      return `the database user may not build indexes on the table (${message}); connect as its owner or install hypopg`;
    case '25006':
      return 'the database is read-only (a standby?), so no index can be built there to test it; install hypopg on the primary or use a writable copy';
    default:
      return message;
  }
}
