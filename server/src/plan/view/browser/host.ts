import type { PlanPageMessage, PlanPageState } from '../protocol';

/**
 * Where the page runs. In a VS Code webview `acquireVsCodeApi` exists (and may be called only once);
 * in a saved HTML file it does not, and the page neither posts messages nor offers to apply anything.
 */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export interface Host {
  readonly inWebview: boolean;
  post(message: PlanPageMessage): void;
  restore(): PlanPageState | undefined;
  save(state: PlanPageState): void;
}

export function connectHost(): Host {
  const acquire = (globalThis as { acquireVsCodeApi?: () => VsCodeApi }).acquireVsCodeApi;
  const api = typeof acquire === 'function' ? acquire() : undefined;
  return {
    inWebview: api !== undefined,
    post: (message) => api?.postMessage(message),
    restore: () => {
      const state = api?.getState() as PlanPageState | undefined;
      return state && Array.isArray(state.collapsed) ? state : undefined;
    },
    save: (state) => api?.setState(state),
  };
}
