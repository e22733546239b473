import { CancelController } from '../cancel-signal';
import type { ExplainOptions, ExplainOutcome } from '../db/explain';
import type { Explain } from './plan-stage';

interface InFlight {
  controller: CancelController;
  /** The callers still waiting, each told the outcome once. */
  waiters: Set<(outcome: ExplainOutcome) => void>;
}

const CANCELLED: ExplainOutcome = { ok: false, reason: 'cancelled', message: 'The EXPLAIN was cancelled.' };

/** How long one EXPLAIN may take before pglens stops waiting, and what it answers then. */
export type ExplainDeadline = (options: ExplainOptions) => { ms: number; outcome: ExplainOutcome };

/**
 * Lets identical EXPLAINs in flight share one round trip: a hover on a query the diagnostics pass is
 * planning right now waits for that plan instead of sending a second EXPLAIN. Each caller may abort on
 * its own; the query is cancelled on the server only when every caller has given up on it, or when
 * `deadline` passes: then it is cancelled and every caller gets the deadline's outcome at once, since
 * the database may never answer (see DatabaseService). Waiters are told directly, not through chains
 * of promises: this sits on every hover's path.
 */
export function sharedExplain(explain: Explain, deadline?: ExplainDeadline): Explain {
  const inFlight = new Map<string, InFlight>();

  const start = (key: string, sql: string, options: Omit<ExplainOptions, 'signal'>): InFlight => {
    const entry: InFlight = { controller: new CancelController(), waiters: new Set() };
    inFlight.set(key, entry);
    let timer: NodeJS.Timeout | undefined;
    // The first of the EXPLAIN's outcome and the deadline's is every waiter's answer.
    const settle = (outcome: ExplainOutcome) => {
      clearTimeout(timer);
      if (inFlight.get(key) === entry) inFlight.delete(key);
      for (const tell of entry.waiters) tell(outcome);
      entry.waiters.clear();
    };
    if (deadline) {
      const limit = deadline(options);
      timer = setTimeout(() => {
        entry.controller.abort();
        settle(limit.outcome);
      }, limit.ms);
    }
    explain(sql, { ...options, signal: entry.controller.signal }).then(settle, (error: unknown) =>
      settle({ ok: false, reason: 'database-error', message: `EXPLAIN failed: ${error instanceof Error ? error.message : String(error)}.` }),
    );
    return entry;
  };

  return (sql, options) => {
    const { signal, ...rest } = options;
    if (signal?.aborted) return Promise.resolve(CANCELLED);
    const key = JSON.stringify([sql, rest.analyze ?? false, rest.params ?? null, rest.analyzeWrites ?? null, rest.statementTimeoutMs ?? null, rest.cache ?? true]);
    let entry = inFlight.get(key);
    if (!entry || entry.controller.signal.aborted) entry = start(key, sql, rest);
    const shared = entry;
    return new Promise<ExplainOutcome>((resolve) => {
      const tell = (outcome: ExplainOutcome) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => {
        shared.waiters.delete(tell);
        resolve(CANCELLED);
        if (shared.waiters.size === 0) shared.controller.abort();
      };
      shared.waiters.add(tell);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
}
