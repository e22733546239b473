import { ViewColumn, window, type Uri, type WebviewPanel } from 'vscode';
import type { PlanResponse } from '../../../server/src/protocol';
import { basicPlanPage } from './basic-plan-page';
import { applyFindingFix, applyIndexSuggestion } from './plan-actions';
import { parsePlanMessage } from './plan-messages';
import { contentSecurityPolicy, createNonce, withContentSecurityPolicy, type PlanPageRenderer } from './plan-page';

let panel: WebviewPanel | undefined;

/**
 * Shows a plan in the pglens plan panel (one panel, reused). The page runs under a strict CSP with a
 * per-render nonce, loads no local files, and may only ask the extension to apply a finding's fix or
 * an index suggestion, by index into this response.
 */
export function showPlanView(response: PlanResponse, source: Uri, render: PlanPageRenderer = basicPlanPage): WebviewPanel {
  if (!panel) {
    panel = window.createWebviewPanel('pglens.plan', 'pglens plan', { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [],
      enableFindWidget: true,
    });
    panel.onDidDispose(() => (panel = undefined));
  }
  const current = panel;
  current.title = `Plan: ${source.path.split('/').pop() ?? 'query'}`;
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce);
  current.webview.html = withContentSecurityPolicy(render(response, { nonce, csp }), csp);
  listen(current, response, source);
  current.reveal(ViewColumn.Beside, true);
  return current;
}

const listeners = new WeakMap<WebviewPanel, { dispose(): void }>();

function listen(target: WebviewPanel, response: PlanResponse, source: Uri): void {
  listeners.get(target)?.dispose();
  const counts = { findings: response.findings.length, suggestions: response.suggestions.length };
  listeners.set(
    target,
    target.webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parsePlanMessage(raw, counts);
      if (message?.type === 'applyFix') await applyFindingFix(response.findings[message.findingIndex]!, source);
      if (message?.type === 'applySuggestion') await applyIndexSuggestion(response.suggestions[message.index]!, response, source);
    }),
  );
}
