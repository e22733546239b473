import type { ExplainOptions, ExplainOutcome } from '../db/explain';
import type { Explain } from './plan-stage';

interface InFlight {
  promise: Promise<ExplainOutcome>;
  controller: AbortController;
  waiters: number;
}

const CANCELLED: ExplainOutcome = { ok: false, reason: 'cancelled', message: 'The EXPLAIN was cancelled.' };

/** How long one EXPLAIN may take before pglens stops waiting, and what it answers then. */
export type ExplainDeadline = (options: ExplainOptions) => { ms: number; outcome: ExplainOutcome };

/**
 * Lets identical EXPLAINs in flight share one round trip: a hover on a query the diagnostics pass is
 * planning right now waits for that plan instead of sending a second EXPLAIN. Each caller may abort on
 * its own; the query is cancelled on the server only when every caller has given up on it, or when
 * `deadline` passes: then it is cancelled and every caller gets the deadline's outcome at once, since
 * the database may never answer (see DatabaseService).
 */
export function sharedExplain(explain: Explain, deadline?: ExplainDeadline): Explain {
  const inFlight = new Map<string, InFlight>();
  return (sql, options) => {
    const { signal, ...rest } = options;
    const key = JSON.stringify([sql, rest.analyze ?? false, rest.params ?? null, rest.analyzeWrites ?? null, rest.statementTimeoutMs ?? null, rest.cache ?? true]);
    let entry = inFlight.get(key);
    if (!entry || entry.controller.signal.aborted) {
      const controller = new AbortController();
      const created: InFlight = { controller, waiters: 0, promise: Promise.resolve(CANCELLED) };
      const run = explain(sql, { ...rest, signal: controller.signal }).catch(
        (error: unknown): ExplainOutcome => ({
          ok: false,
          reason: 'database-error',
          message: `EXPLAIN failed: ${error instanceof Error ? error.message : String(error)}.`,
        }),
      );
      created.promise = (deadline ? withDeadline(run, controller, deadline(rest)) : run).finally(() => {
        if (inFlight.get(key) === created) inFlight.delete(key);
      });
      inFlight.set(key, created);
      entry = created;
    }
    const shared = entry;
    shared.waiters++;
    return new Promise<ExplainOutcome>((resolve) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        resolve(CANCELLED);
        if (--shared.waiters === 0) shared.controller.abort();
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      void shared.promise.then((outcome) => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        shared.waiters--;
        resolve(outcome);
      });
    });
  };
}

/** `run`, or the deadline's outcome once `limit.ms` pass first (the EXPLAIN is then cancelled). */
function withDeadline(run: Promise<ExplainOutcome>, controller: AbortController, limit: { ms: number; outcome: ExplainOutcome }): Promise<ExplainOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<ExplainOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(limit.outcome);
    }, limit.ms);
  });
  return Promise.race([run, expired]).finally(() => clearTimeout(timer));
}
