/**
 * What the engine asks of a cancellation signal. An AbortSignal is one; so are the light ones made
 * here and from an LSP token (lsp/cancellation.ts). An AbortSignal is an EventTarget: making one,
 * listening and unlistening cost microseconds each, which shows on a hover's path.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The signal of a CancelController. */
class ControlledSignal implements CancelSignal {
  aborted = false;
  private readonly listeners = new Set<() => void>();

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.delete(listener);
  }

  /** Marks the signal aborted and tells each listener, once. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}

/** An AbortController for a CancelSignal: `abort()` tells each listener, once. */
export class CancelController {
  private readonly controlled = new ControlledSignal();
  readonly signal: CancelSignal = this.controlled;

  abort(): void {
    this.controlled.abort();
  }
}
