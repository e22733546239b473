import type { Plan } from '../model';
import { formatCost, formatMs, formatRows } from './format';
import { esc } from './html';
import { ICONS } from './icons';
import { highlightSql } from './sql-highlight';

/** Queries longer than this many lines start folded to their first lines. */
const FOLD_LINES = 8;

export interface HeaderInput {
  plan: Plan;
  query: string;
  analyzed: boolean;
  database?: string;
  notes: readonly string[];
}

export function renderHeader(input: HeaderInput): string {
  const { plan, analyzed } = input;
  const mode = analyzed
    ? '<span class="pill pill-analyze" title="The query ran: times and row counts are real">EXPLAIN ANALYZE</span>'
    : '<span class="pill" title="The query did not run: costs and rows are the planner’s estimates">Estimated plan</span>';
  const db = input.database ? `<span class="database" title="Planned on">${esc(input.database)}</span>` : '';
  const notes = input.notes.map((note) => `<p class="note">${esc(note)}</p>`).join('');
  return [
    '<header class="page-head">',
    `<div class="title-row"><h1>Query plan</h1>${mode}${db}</div>`,
    `<dl class="stats">${stats(plan, analyzed).join('')}</dl>`,
    notes,
    renderQuery(input.query),
    '</header>',
  ].join('');
}

function stats(plan: Plan, analyzed: boolean): string[] {
  const stat = (label: string, value: string, title?: string, lead = false, aside = '') =>
    `<div class="stat${lead ? ' lead' : ''}"${title ? ` title="${esc(title)}"` : ''}><dt>${esc(label)}</dt><dd>${esc(value)}${aside ? `<small>${esc(aside)}</small>` : ''}</dd></div>`;
  const out: string[] = [];
  const time = plan.executionTimeMs ?? plan.root.inclusiveTimeMs;
  if (analyzed && time !== undefined) out.push(stat('Execution', formatMs(time), 'Execution time reported by EXPLAIN ANALYZE', true));
  out.push(stat('Total cost', formatCost(plan.totalCost), 'The planner’s estimate, in its own units', !(analyzed && time !== undefined)));
  if (plan.planningTimeMs !== undefined) out.push(stat('Planning', formatMs(plan.planningTimeMs)));
  const root = plan.root;
  if (root.actual) out.push(stat('Rows', formatRows(root.actual.rows), 'Rows returned, and the planner’s estimate', false, `est. ${formatRows(root.planRows)}`));
  else out.push(stat('Rows', `~${formatRows(root.planRows)}`, 'The planner’s estimate'));
  out.push(stat('Nodes', String(plan.nodes.length)));
  return out;
}

function renderQuery(query: string): string {
  const text = query.trim();
  const lines = text.split('\n').length;
  const long = lines > FOLD_LINES;
  const toggle = long ? `<button type="button" class="ghost" data-fold="query-sql" aria-expanded="false" aria-controls="query-sql">Show all ${lines} lines</button>` : '';
  return [
    '<section class="query" aria-labelledby="query-h">',
    `<div class="section-head"><h2 id="query-h">Query</h2><span class="spacer"></span>${toggle}`,
    `<button type="button" class="ghost" data-copy="query-sql" title="Copy the query">${ICONS.copy}<span>Copy</span></button></div>`,
    `<pre class="code sql${long ? ' folded' : ''}" id="query-sql" tabindex="0">${highlightSql(text)}</pre>`,
    '</section>',
  ].join('');
}
