/**
 * Notices a server that stopped answering. Each query sent is registered with the statement timeout
 * the server enforces on it; one still unanswered a second past that timeout is suspect, and the
 * server is probed on a connection of its own. A server that answers the probe is alive (the query is
 * slow: PostgreSQL does not check statement_timeout while it plans) and the query is looked at again
 * after another timeout; one that does not answer has gone silent — a network that drops packets
 * without a reset, a frozen host — and `onSilent` is told, with the oldest unanswered query's age.
 * One timer serves every query, and stops itself when none is waiting.
 */
export class AnswerWatch {
  private readonly waiting = new Map<object, { since: number; suspectAt: number; graceMs: number }>();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    /** Resolves true when the server answers on a new connection. */
    private readonly probe: () => Promise<boolean>,
    private readonly onSilent: (silentForMs: number) => void,
    private readonly checkEveryMs = 250,
  ) {}

  /** Registers a query the server ends within `statementTimeoutMs`; call the function returned when it answers. */
  sent(statementTimeoutMs: number): () => void {
    const key = {};
    const now = performance.now();
    const graceMs = statementTimeoutMs + 1_000;
    this.waiting.set(key, { since: now, suspectAt: now + graceMs, graceMs });
    this.timer ??= setInterval(() => void this.check(), this.checkEveryMs).unref();
    return () => void this.waiting.delete(key);
  }

  private async check(): Promise<void> {
    if (this.waiting.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = performance.now();
    const overdue = [...this.waiting.values()].filter((query) => query.suspectAt <= now);
    if (overdue.length === 0 || this.probing) return;
    this.probing = true;
    try {
      if (await this.probe()) {
        for (const query of overdue) query.suspectAt = performance.now() + query.graceMs;
        return;
      }
      const oldest = Math.max(...overdue.map((query) => performance.now() - query.since));
      this.waiting.clear();
      this.onSilent(oldest);
    } finally {
      this.probing = false;
    }
  }
}
