import { randomBytes } from 'node:crypto';
import { script, style } from 'pglens:plan-view-assets';
import type { Plan } from '../model';
import { parsePlan } from '../parse';
import { renderFindings, renderSuggestions } from './findings';
import { renderFlame } from './flame';
import { renderHeader } from './header';
import { esc, escText } from './html';
import { ICONS } from './icons';
import type { PlanPageInput } from './input';
import { fromPostgres18, renderTextPlan } from './text-plan';
import { renderTree } from './tree';
import { buildPlanView, type PlanView } from './view-model';

/**
 * One standalone HTML document showing a query plan: header, findings and index suggestions, an icicle
 * graph and the plan tree, the text and JSON forms. Everything is inline and nonce'd under a CSP that
 * allows nothing else, so the same page works as a VS Code webview and as a file saved by the CLI.
 */
export function renderPlanPage(input: PlanPageInput): string {
  const nonce = input.nonce ?? randomBytes(18).toString('base64');
  if (!/^[A-Za-z0-9+/_=-]+$/.test(nonce)) throw new Error('The CSP nonce may hold only base64 characters.');
  const plan = resolvePlan(input);
  const theme = input.theme ?? 'vscode';
  const title = input.title ?? 'Query plan';
  const body = typeof plan === 'string' ? errorBody(plan) : planBody(plan, input);
  return [
    '<!DOCTYPE html>',
    `<html lang="en" data-theme="${esc(theme)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style nonce="${nonce}">${inlineSafe(style, 'style')}${typeof plan === 'string' ? '' : depthRules(plan)}</style>`,
    '</head>',
    `<body>${body}<script nonce="${nonce}">${inlineSafe(script, 'script')}</script></body>`,
    '</html>',
  ].join('\n');
}

/** The model, or why there is none, in words for the page. */
function resolvePlan(input: PlanPageInput): Plan | string {
  if (input.plan) return input.plan;
  if (input.json === undefined) return 'No plan was given to show.';
  const parsed = parsePlan(input.json);
  return parsed.ok ? parsed.plan : parsed.message;
}

function planBody(plan: Plan, input: PlanPageInput): string {
  const findings = input.findings ?? [];
  const view: PlanView = buildPlanView(plan, findings);
  const json = jsonText(input.json);
  const tabs: [id: string, label: string][] = [['plan', 'Plan'], ['text', 'Text'], ...(json !== undefined ? [['json', 'JSON'] as [string, string]] : [])];
  const tablist = tabs
    .map(([id, label], i) => `<button type="button" role="tab" id="tab-${id}" aria-controls="panel-${id}" aria-selected="${i === 0}" tabindex="${i === 0 ? 0 : -1}">${label}</button>`)
    .join('');
  const source = (id: string, label: string, text: string) =>
    `<section role="tabpanel" id="panel-${id}" aria-labelledby="tab-${id}" hidden><div class="section-head"><span class="hint">${label}</span><span class="spacer"></span>` +
    `<button type="button" class="secondary" data-copy="${id}-source">${ICONS.copy}<span>Copy</span></button></div><pre class="code source" id="${id}-source" tabindex="0">${escText(text)}</pre></section>`;
  return [
    '<main class="page">',
    renderHeader({ plan, query: input.query, analyzed: input.analyzed ?? plan.analyzed, database: input.database, notes: input.notes ?? [] }),
    renderFindings(view, findings),
    renderSuggestions(input.suggestions ?? []),
    `<div class="tabs" role="tablist" aria-label="Plan views">${tablist}</div>`,
    `<section role="tabpanel" id="panel-plan" aria-labelledby="tab-plan">${renderFlame(view)}${renderTree(view)}</section>`,
    source('text', 'As EXPLAIN prints it', renderTextPlan(plan, input.json !== undefined && fromPostgres18(input.json) ? { fractionalRows: true } : {})),
    json !== undefined ? source('json', 'EXPLAIN (FORMAT JSON) as PostgreSQL returned it', json) : '',
    '<div class="toast" role="status" aria-live="polite"></div>',
    '</main>',
  ].join('');
}

function errorBody(message: string): string {
  return `<main class="page"><header class="page-head"><div class="title-row"><h1>Query plan</h1></div></header><p class="error-message" role="alert">${esc(
    `The plan could not be shown. ${message}`,
  )}</p></main>`;
}

function jsonText(json: unknown): string | undefined {
  if (json === undefined) return undefined;
  if (typeof json !== 'string') return JSON.stringify(json, null, 2);
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** Indentation per tree level, as rules: a CSP with nonces forbids style attributes. */
function depthRules(plan: Plan): string {
  const depth = plan.nodes.reduce((max, n) => Math.max(max, n.depth), 0);
  let css = '';
  for (let level = 2; level <= depth + 1; level++) css += `.tree [aria-level="${level}"]>.row{--depth:${level - 1}}`;
  return css;
}

/** The one sequence that would end an inline block early. */
function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}
