import type { CancellationToken } from 'vscode-languageserver/node';

/** An AbortSignal that follows an LSP cancellation token, for the engine's cancellable calls. */
export function abortSignalOf(token: CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}
