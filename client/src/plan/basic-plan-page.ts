import type { PlanResponse } from '../../../server/src/protocol';
import { escapeHtml, type PageSecurity } from './plan-page';

/**
 * A plain plan page: the query, its findings and index suggestions with buttons that apply their
 * fixes, and the raw EXPLAIN output. The plan view uses it when no richer renderer is bundled.
 */
export function basicPlanPage(response: PlanResponse, { nonce }: PageSecurity): string {
  const findings = response.findings.map((finding, index) => {
    const fix = finding.fixes?.length ? ` <button data-message="applyFix" data-index="${index}">${escapeHtml(finding.fixes[0]!.title)}</button>` : '';
    return `<li class="${escapeHtml(finding.severity)}"><code>${escapeHtml(finding.code)}</code> ${escapeHtml(finding.message)}${fix}</li>`;
  });
  const suggestions = response.suggestions.map(
    (suggestion, index) =>
      `<li><code>${escapeHtml(suggestion.ddl)}</code> cost ${Math.round(suggestion.costBefore)} → ${Math.round(suggestion.costAfter)} <button data-message="applySuggestion" data-index="${index}">Apply</button></li>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pglens plan</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1rem; }
  pre { background: var(--vscode-textCodeBlock-background); padding: .5rem; overflow: auto; }
  li { margin: .3rem 0; }
  .error, .warning { color: var(--vscode-editorWarning-foreground); }
  button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 0; padding: .15rem .5rem; cursor: pointer; }
</style>
</head>
<body>
<h2>${response.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${escapeHtml(response.database)}</h2>
<pre>${escapeHtml(response.query)}</pre>
<h3>Findings</h3>
${findings.length ? `<ul>${findings.join('')}</ul>` : '<p>None.</p>'}
<h3>Index suggestions</h3>
${suggestions.length ? `<ul>${suggestions.join('')}</ul>` : '<p>None.</p>'}
<details><summary>Plan (EXPLAIN JSON)</summary><pre>${escapeHtml(JSON.stringify(response.planJson, null, 2))}</pre></details>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-message]');
    if (!button) return;
    const index = Number(button.dataset.index);
    vscode.postMessage(button.dataset.message === 'applyFix' ? { type: 'applyFix', findingIndex: index } : { type: 'applySuggestion', index });
  });
</script>
</body>
</html>`;
}
