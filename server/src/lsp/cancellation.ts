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
  const subscriptions = new Map<() => void, Disposable>();
  const unsubscribe = (listener: () => void) => {
    subscriptions.get(listener)?.dispose();
    subscriptions.delete(listener);
  };
  return {
    get aborted() {
      return token.isCancellationRequested;
    },
    addEventListener(_type, listener) {
      if (token.isCancellationRequested || subscriptions.has(listener)) return;
      subscriptions.set(
        listener,
        token.onCancellationRequested(() => {
          unsubscribe(listener);
          listener();
        }),
      );
    },
    removeEventListener(_type, listener) {
      unsubscribe(listener);
    },
  };
}
