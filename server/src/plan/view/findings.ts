import { formatBytes, formatCost, formatShare } from './format';
import { esc } from './html';
import { ICONS, severityIcon } from './icons';
import type { IndexSuggestionView, PlanFindingView } from './input';
import { highlightSql } from './sql-highlight';
import type { PlanView } from './view-model';

/**
 * Findings and index suggestions, each with its action: in a VS Code webview a button that asks the
 * extension to apply it; outside one (a saved HTML file) the DDL to copy instead. Which buttons show is
 * decided by the script (`.webview-only`), since only it can tell where the page runs.
 */
export function renderFindings(view: PlanView, findings: readonly PlanFindingView[]): string {
  if (!findings.length) return '';
  const items = findings.map((finding, index) => {
    const node = finding.node !== undefined ? view.nodes[finding.node.id] : undefined;
    const nodeLink = node
      ? `<button type="button" class="link" data-select="${node.node.id}" title="Show this node in the plan">${esc(node.title.target ? `${node.title.name} ${node.title.target}` : node.title.name)}</button>`
      : '';
    return [
      `<li class="finding sev-${esc(finding.severity)}">`,
      `<span class="sev-icon" title="${esc(finding.severity)}">${severityIcon(finding.severity)}</span>`,
      `<div class="finding-body"><div class="finding-head"><code class="rule">${esc(finding.code)}</code>${nodeLink}</div>`,
      `<p>${esc(finding.message)}</p></div>`,
      finding.action === null
        ? '<div></div>'
        : `<div class="actions"><button type="button" class="primary webview-only" data-action="applyFix" data-index="${index}">${esc(finding.action ?? 'Apply fix')}</button></div>`,
      '</li>',
    ].join('');
  });
  return `<section class="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings <span class="count">${findings.length}</span></h2><ul class="cards">${items.join('')}</ul></section>`;
}

export function renderSuggestions(suggestions: readonly IndexSuggestionView[]): string {
  if (!suggestions.length) return '';
  const items = suggestions.map((s, index) => {
    const saved = s.costBefore > 0 ? 1 - s.costAfter / s.costBefore : 0;
    const change = saved > 0 ? `<b class="gain">−${formatShare(saved)}</b>` : `<b class="loss">no gain</b>`;
    const facts = [
      `<span class="cost" title="The plan's total cost without → with the index">cost ${esc(formatCost(s.costBefore))} → ${esc(formatCost(s.costAfter))} ${change}</span>`,
      s.sizeBytes !== undefined ? `<span class="size" title="Estimated index size">${esc(formatBytes(s.sizeBytes))}</span>` : '',
    ].join('');
    return [
      '<li class="suggestion">',
      `<span class="sev-icon">${ICONS.index}</span>`,
      `<div class="finding-body"><div class="finding-head"><strong>${esc(s.table)}</strong>${s.kind ? `<span class="kind">${esc(s.kind)}</span>` : ''}${facts}</div>`,
      `<pre class="code sql ddl" id="ddl-${index}">${highlightSql(s.ddl)}</pre></div>`,
      '<div class="actions">',
      `<button type="button" class="primary webview-only" data-action="applySuggestion" data-index="${index}">Apply</button>`,
      `<button type="button" class="secondary" data-copy="ddl-${index}" title="Copy the CREATE INDEX statement">${ICONS.copy}<span>Copy DDL</span></button>`,
      '</div></li>',
    ].join('');
  });
  return `<section class="suggestions" aria-labelledby="suggestions-h"><h2 id="suggestions-h">Index suggestions <span class="count">${suggestions.length}</span></h2><ul class="cards">${items.join('')}</ul></section>`;
}
