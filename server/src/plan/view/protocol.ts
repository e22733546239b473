/**
 * Messages between the plan page and the VS Code extension hosting it in a webview. The page posts
 * through `acquireVsCodeApi().postMessage`; the extension answers with `webview.postMessage`, which
 * arrives as a `message` event on the page's window. Outside a webview the page posts nothing.
 */
export type PlanPageMessage =
  /** The page is wired up and listening; the host may send `selectNode` from now on. */
  | { type: 'ready' }
  /** Apply the fix of `findings[findingIndex]` of the PlanPageInput. */
  | { type: 'applyFix'; findingIndex: number }
  /** Apply `suggestions[index]` of the PlanPageInput (e.g. write a migration with its DDL). */
  | { type: 'applySuggestion'; index: number };

export type PlanHostMessage =
  /** Select a node (by PlanNode.id), unfold its ancestors and scroll it into view. */
  | { type: 'selectNode'; nodeId: number }
  /** How an apply went: the button shows it and stays disabled after a success. */
  | { type: 'actionResult'; action: 'applyFix' | 'applySuggestion'; index: number; ok: boolean; message?: string };

/** What the page keeps in the webview's state, so a hidden and re-shown panel looks the same. */
export interface PlanPageState {
  collapsed: number[];
  selected?: number;
  tab?: string;
}
