import type { CancellationToken, Disposable } from 'vscode-languageserver/node';
import type { CancelSignal } from '../cancel-signal';

/** An AbortSignal that follows an LSP cancellation token, for the engine's cancellable calls. */
export function abortSignalOf(token: CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}

/**
 * The token as a CancelSignal, for calls that take one (EXPLAIN): no AbortController to make, and
 * nothing to dispose, since each listener is unsubscribed when it is removed or called.
 */
export function cancelSignalOf(token: CancellationToken): CancelSignal {
  return new TokenSignal(token);
}

class TokenSignal implements CancelSignal {
  private subscriptions: Map<() => void, Disposable> | undefined;

  constructor(private readonly token: CancellationToken) {}

  get aborted(): boolean {
    return this.token.isCancellationRequested;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    const subscriptions = (this.subscriptions ??= new Map());
    if (this.token.isCancellationRequested || subscriptions.has(listener)) return;
    subscriptions.set(
      listener,
      this.token.onCancellationRequested(() => {
        this.removeEventListener('abort', listener);
        listener();
      }),
    );
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.subscriptions?.get(listener)?.dispose();
    this.subscriptions?.delete(listener);
  }
}
