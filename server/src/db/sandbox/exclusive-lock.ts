/**
 * A first-come, first-served async lock. PGlite has one connection: without this, two callers'
 * `BEGIN … ROLLBACK` sequences would interleave on it and run inside each other's transactions.
 */
export class ExclusiveLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves when the caller holds the lock, with the function that hands it on. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}
