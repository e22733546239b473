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

/** An AbortController for a CancelSignal: `abort()` tells each listener, once. */
export class CancelController {
  readonly signal: CancelSignal;
  private readonly state = { aborted: false, listeners: new Set<() => void>() };

  constructor() {
    const state = this.state;
    this.signal = {
      get aborted() {
        return state.aborted;
      },
      addEventListener(_type, listener) {
        if (!state.aborted) state.listeners.add(listener);
      },
      removeEventListener(_type, listener) {
        state.listeners.delete(listener);
      },
    };
  }

  abort(): void {
    if (this.state.aborted) return;
    this.state.aborted = true;
    const listeners = [...this.state.listeners];
    this.state.listeners.clear();
    for (const listener of listeners) listener();
  }
}
