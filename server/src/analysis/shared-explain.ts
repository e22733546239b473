import type { ExplainOutcome } from '../db/explain';
import type { Explain } from './plan-stage';

interface InFlight {
  promise: Promise<ExplainOutcome>;
  controller: AbortController;
  waiters: number;
}

const CANCELLED: ExplainOutcome = { ok: false, reason: 'cancelled', message: 'The EXPLAIN was cancelled.' };

/**
 * Lets identical EXPLAINs in flight share one round trip: a hover on a query the diagnostics pass is
 * planning right now waits for that plan instead of sending a second EXPLAIN. Each caller may abort on
 * its own; the query is cancelled on the server only when every caller has given up on it.
 */
export function sharedExplain(explain: Explain): Explain {
  const inFlight = new Map<string, InFlight>();
  return (sql, options) => {
    const { signal, ...rest } = options;
    const key = JSON.stringify([sql, rest.analyze ?? false, rest.params ?? null, rest.analyzeWrites ?? null, rest.statementTimeoutMs ?? null, rest.cache ?? true]);
    let entry = inFlight.get(key);
    if (!entry || entry.controller.signal.aborted) {
      const controller = new AbortController();
      const created: InFlight = { controller, waiters: 0, promise: Promise.resolve(CANCELLED) };
      created.promise = explain(sql, { ...rest, signal: controller.signal })
        .catch((error: unknown): ExplainOutcome => ({
          ok: false,
          reason: 'database-error',
          message: `EXPLAIN failed: ${error instanceof Error ? error.message : String(error)}.`,
        }))
        .finally(() => {
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
