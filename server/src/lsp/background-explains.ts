import type { Explain } from '../analysis/plan-stage';
import type { CancelSignal } from '../cancel-signal';
import type { ExplainOutcome } from '../db/explain';

const CANCELLED: ExplainOutcome = { ok: false, reason: 'cancelled', message: 'The EXPLAIN was cancelled.' };

/**
 * Keeps the diagnostics pass from filling every connection: its EXPLAINs run at most `limit()` at a
 * time, so a hover or a command (which bypass this) waits for one background EXPLAIN at most, never
 * for the whole document's queue — the sandbox has a single connection.
 */
export function limitedExplain(explain: Explain, limit: () => number): Explain {
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished EXPLAIN hands its slot straight to the next in line.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const turn = (signal: CancelSignal | undefined) =>
    new Promise<boolean>((resolve) => {
      const go = () => {
        signal?.removeEventListener('abort', leave);
        resolve(true);
      };
      const leave = () => {
        const index = waiting.indexOf(go);
        if (index >= 0) waiting.splice(index, 1);
        resolve(false);
      };
      waiting.push(go);
      signal?.addEventListener('abort', leave, { once: true });
    });
  return async (sql, options) => {
    if (options.signal?.aborted) return CANCELLED;
    if (running < Math.max(1, limit())) running++;
    else if (!(await turn(options.signal))) return CANCELLED;
    try {
      return await explain(sql, options);
    } finally {
      release();
    }
  };
}
