import { ViewColumn, window, type Uri, type WebviewPanel } from 'vscode';
import { renderPlanPage } from '../../../server/src/plan/view';
import type { PlanResponse } from '../../../server/src/protocol';
import { applyFindingFix, applyIndexSuggestion, type Outcome } from './plan-actions';
import { actionResult, parsePlanMessage } from './plan-messages';
import { planPageInput } from './plan-page-input';
import { contentSecurityPolicy, createNonce, withContentSecurityPolicy } from './plan-page';

let panel: WebviewPanel | undefined;
let listener: { dispose(): void } | undefined;

/**
 * Shows a plan in the pglens plan panel (one panel, reused). The page runs under a strict CSP with a
 * per-render nonce, loads no local files, and may only ask the extension to apply a finding's fix or
 * an index suggestion, by index into this response.
 */
export function showPlanView(response: PlanResponse, source: Uri): WebviewPanel {
  if (!panel) {
    panel = window.createWebviewPanel('pglens.plan', 'pglens plan', { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [],
      enableFindWidget: true,
    });
    panel.onDidDispose(() => {
      listener?.dispose();
      panel = listener = undefined;
    });
  }
  const current = panel;
  const title = `Plan: ${source.path.split('/').pop() ?? 'query'}`;
  current.title = title;
  const nonce = createNonce();
  current.webview.html = withContentSecurityPolicy(renderPlanPage(planPageInput(response, { nonce, title })), contentSecurityPolicy(nonce));

  const counts = { findings: response.findings.length, suggestions: response.suggestions.length };
  listener?.dispose();
  listener = current.webview.onDidReceiveMessage(async (raw: unknown) => {
    const action = parsePlanMessage(raw, counts);
    if (!action) return;
    let outcome: Outcome;
    try {
      outcome =
        action.type === 'applyFix'
          ? await applyFindingFix(response.findings[action.findingIndex]!, source)
          : await applyIndexSuggestion(response.suggestions[action.index]!, response, source);
    } catch (error) {
      outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (!outcome.ok && outcome.message) void window.showWarningMessage(`pglens: ${outcome.message}`);
    void current.webview.postMessage(actionResult(action, outcome));
  });
  current.reveal(ViewColumn.Beside, true);
  return current;
}
