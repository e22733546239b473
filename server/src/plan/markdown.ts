import { formatCount, type PlanFinding } from './findings/plan-rule';
import type { Plan, PlanNode } from './model';

/**
 * A compact Markdown summary of a plan for a hover: totals, the plan tree with the expensive nodes
 * marked, then each finding with its fix.
 */
export interface PlanMarkdownOptions {
  findings?: readonly PlanFinding[];
  /** Lines shown above the plan, e.g. why ANALYZE was not run or which parameter values were sampled. */
  notes?: readonly string[];
  /** Nodes shown before the tree is cut short. Default 25. */
  maxNodes?: number;
  /** A link for a rule code's documentation. */
  docsUrl?: (code: string) => string | undefined;
}

/** A node whose own share of the cost (or time, with ANALYZE) reaches this is marked. */
const EXPENSIVE_SHARE = 0.2;
const CONDITION_WIDTH = 90;

export function renderPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  const out: string[] = [summaryLine(plan)];
  // Each note its own paragraph: Markdown joins lines that are not.
  for (const note of options.notes ?? []) out.push('', `_${escapeMarkdown(note)}_`);
  out.push('', '```text', ...treeLines(plan, options.maxNodes ?? 25), '```');
  const findings = options.findings ?? [];
  if (findings.length) {
    out.push('');
    for (const finding of findings) {
      const url = options.docsUrl?.(finding.code);
      const code = url ? `[${finding.code}](${url})` : `\`${finding.code}\``;
      out.push(`- ${icon(finding)} ${code} ${escapeMarkdown(finding.message)}`);
    }
  }
  return out.join('\n');
}

function summaryLine(plan: Plan): string {
  const rows = plan.root.planRows;
  const parts = [`cost ${formatCost(plan.totalCost)}`, `~${formatRows(rows)} ${rows === 1 ? 'row' : 'rows'}`];
  if (plan.analyzed) {
    const time = plan.executionTimeMs ?? plan.root.inclusiveTimeMs;
    if (time !== undefined) parts.push(`${formatMs(time)} ms`);
    if (plan.planningTimeMs !== undefined) parts.push(`planning ${formatMs(plan.planningTimeMs)} ms`);
  }
  return `**Query plan${plan.analyzed ? ' (ANALYZE)' : ''}** · ${parts.join(' · ')}`;
}

function treeLines(plan: Plan, maxNodes: number): string[] {
  const lines: string[] = [];
  const useTime = plan.analyzed && (plan.root.inclusiveTimeMs ?? 0) > 0;
  const total = useTime ? plan.root.inclusiveTimeMs ?? 0 : plan.totalCost;
  let shown = 0;
  const visit = (node: PlanNode, prefix: string, childPrefix: string) => {
    if (shown >= maxNodes) return;
    shown++;
    const own = useTime ? node.exclusiveTimeMs ?? 0 : node.exclusiveCost;
    // Under a LIMIT a child's own cost can exceed the whole plan's (it is cut short): cap at 100%.
    const share = total > 0 ? Math.min(1, own / total) : 0;
    const mark = share >= EXPENSIVE_SHARE && plan.nodes.length > 1 ? `  ◀ ${Math.round(share * 100)}% of ${useTime ? 'time' : 'cost'}` : '';
    const title = node.subplanName ? `${node.subplanName}: ${node.label}` : node.label;
    lines.push(`${prefix}${title}  (${metrics(node)})${mark}`);
    for (const condition of conditions(node)) lines.push(`${childPrefix}${node.children.length ? '│ ' : '  '}  ${condition}`);
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      visit(child, `${childPrefix}${last ? '└─ ' : '├─ '}`, `${childPrefix}${last ? '   ' : '│  '}`);
    });
  };
  visit(plan.root, '', '');
  if (shown < plan.nodes.length) lines.push(`… ${plan.nodes.length - shown} more nodes`);
  return lines;
}

function metrics(node: PlanNode): string {
  const parts = [`cost ${formatCost(node.totalCost)}`];
  if (node.actual) {
    parts.push(node.actual.loops === 0 ? 'never executed' : `rows ${formatRows(node.planRows)} est → ${formatRows(node.actual.rows)}${node.actual.loops > 1 ? ` ×${node.actual.loops}` : ''}`);
    if (node.actual.loops > 0 && node.inclusiveTimeMs !== undefined) parts.push(`${formatMs(node.inclusiveTimeMs)} ms`);
  } else {
    parts.push(`rows ${formatRows(node.planRows)}`);
  }
  if (node.disabled) parts.push('disabled');
  return parts.join(' · ');
}

function conditions(node: PlanNode): string[] {
  const out: string[] = [];
  const add = (label: string, value: string | undefined, extra?: string) => {
    if (value) out.push(truncate(`${label}: ${value}${extra ?? ''}`));
  };
  add('Index Cond', node.indexCond);
  add('Hash Cond', node.hashCond);
  add('Merge Cond', node.mergeCond);
  add('Join Filter', node.joinFilter, removed(node.rowsRemovedByJoinFilter, node));
  add('Filter', node.filter, removed(node.rowsRemovedByFilter, node));
  if (node.sortKey?.length) add('Sort Key', node.sortKey.join(', '));
  if (node.sortMethod) add('Sort', `${node.sortMethod}${node.sortSpaceUsedKb !== undefined ? `, ${node.sortSpaceUsedKb} kB ${node.sortSpaceType ?? ''}`.trimEnd() : ''}`);
  if ((node.hashBatches ?? 1) > 1) add('Hash', `${node.hashBatches} batches`);
  return out;
}

function removed(count: number | undefined, node: PlanNode): string {
  if (count === undefined || !node.actual) return '';
  return ` (removed ${formatRows(count * node.actual.loops)})`;
}

function icon(finding: PlanFinding): string {
  return finding.severity === 'error' ? '⛔' : finding.severity === 'warning' ? '⚠️' : 'ℹ️';
}

function formatCost(cost: number): string {
  return cost >= 100 ? formatCount(cost) : String(Math.round(cost * 100) / 100);
}

function formatRows(rows: number): string {
  return Number.isInteger(rows) || rows >= 100 ? formatCount(rows) : rows.toFixed(2);
}

function formatMs(ms: number): string {
  return ms >= 100 ? formatCount(ms) : ms.toFixed(ms >= 10 ? 1 : 2);
}

function truncate(text: string): string {
  return text.length > CONDITION_WIDTH ? `${text.slice(0, CONDITION_WIDTH - 1)}…` : text;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|~])/g, '\\$1');
}
