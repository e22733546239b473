import { CancelController } from '../cancel-signal';
import type { ExplainOptions, ExplainOutcome } from '../db/explain';
import type { Explain } from './plan-stage';

interface InFlight {
  controller: CancelController;
  /** The callers still waiting, each told the outcome once. */
  waiters: Set<(outcome: ExplainOutcome) => void>;
  /** Tells every waiter; the first outcome wins. */
  settle(outcome: ExplainOutcome): void;
  /** When pglens stops waiting (performance.now()), and what it answers then. */
  deadline?: { at: number; outcome: ExplainOutcome };
}

const CANCELLED: ExplainOutcome = { ok: false, reason: 'cancelled', message: 'The EXPLAIN was cancelled.' };

/** How long one EXPLAIN may take before pglens stops waiting, and what it answers then. */
export type ExplainDeadline = (options: ExplainOptions) => { ms: number; outcome: ExplainOutcome };

/** How often deadlines are checked: they are seconds long, so a quarter second late is on time. */
const DEADLINE_CHECK_MS = 250;

/**
 * Lets identical EXPLAINs in flight share one round trip: a hover on a query the diagnostics pass is
 * planning right now waits for that plan instead of sending a second EXPLAIN. Each caller may abort on
 * its own; the query is cancelled on the server only when every caller has given up on it, or when
 * `deadline` passes: then it is cancelled and every caller gets the deadline's outcome at once, since
 * the database may never answer (see DatabaseService). This sits on every hover's path, so waiters
 * are told directly rather than through chains of promises, and one timer checks every deadline
 * rather than one timer per EXPLAIN.
 */
export function sharedExplain(explain: Explain, deadline?: ExplainDeadline): Explain {
  const inFlight = new Map<string, InFlight>();
  let checking: NodeJS.Timeout | undefined;
  const checkDeadlines = () => {
    const now = performance.now();
    for (const entry of inFlight.values()) {
      if (entry.deadline && now >= entry.deadline.at) {
        entry.controller.abort();
        entry.settle(entry.deadline.outcome);
      }
    }
    if (inFlight.size === 0) {
      clearInterval(checking);
      checking = undefined;
    }
  };

  const start = (key: string, sql: string, options: ExplainOptions): InFlight => {
    const entry: InFlight = {
      controller: new CancelController(),
      waiters: new Set(),
      settle: (outcome) => {
        if (inFlight.get(key) === entry) inFlight.delete(key);
        for (const tell of entry.waiters) tell(outcome);
        entry.waiters.clear();
      },
    };
    inFlight.set(key, entry);
    if (deadline) {
      const limit = deadline(options);
      entry.deadline = { at: performance.now() + limit.ms, outcome: limit.outcome };
      checking ??= setInterval(checkDeadlines, DEADLINE_CHECK_MS).unref();
    }
    explain(sql, { ...options, signal: entry.controller.signal }).then(entry.settle, (error: unknown) =>
      entry.settle({ ok: false, reason: 'database-error', message: `EXPLAIN failed: ${error instanceof Error ? error.message : String(error)}.` }),
    );
    return entry;
  };

  return (sql, options) => {
    const signal = options.signal;
    if (signal?.aborted) return Promise.resolve(CANCELLED);
    const key = JSON.stringify([sql, options.analyze ?? false, options.params ?? null, options.analyzeWrites ?? null, options.statementTimeoutMs ?? null, options.cache ?? true]);
    let entry = inFlight.get(key);
    if (!entry || entry.controller.signal.aborted) entry = start(key, sql, options);
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
