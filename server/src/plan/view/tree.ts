import { formatBlocks, formatCost, formatExactRows, formatFactor, formatMs, formatRows, formatShare } from './format';
import { attrs, esc, pct } from './html';
import { nodeDetails } from './node-details';
import { titleText } from './node-title';
import { MISESTIMATE_FACTOR, type NodeView, type PlanView } from './view-model';

/**
 * The plan tree: a WAI-ARIA tree (nested treeitems and groups) whose rows line up in columns. The
 * markup is complete without the script; the script adds collapsing, keyboard movement and selection.
 */
export function renderTree(view: PlanView): string {
  const analyzed = view.plan.analyzed;
  const unit = view.measure === 'time' ? 'time' : 'cost';
  const head = [
    '<div class="tree-head" aria-hidden="true">',
    '<span class="cell-node">Node</span>',
    `<span class="cell num self">Self ${unit}</span>`,
    `<span class="cell bar" title="Strong: the node alone; light: with everything below it">Share</span>`,
    `<span class="cell num total">Total ${unit}</span>`,
    `<span class="cell num rows">${analyzed ? 'Rows est → actual' : 'Rows (est.)'}</span>`,
    analyzed ? '<span class="cell num loops">Loops</span><span class="cell num buffers">Buffers</span>' : '',
    '</div>',
  ].join('');
  const body = renderItem(view, view.nodes[view.plan.root.id], true);
  return `<div class="tree-wrap${analyzed ? ' analyzed' : ''}">${head}<ul class="tree" role="tree" aria-label="Plan nodes">${body}</ul></div>`;
}

function renderItem(view: PlanView, item: NodeView, first: boolean): string {
  const { node } = item;
  const hasChildren = node.children.length > 0;
  const label = `${titleText(node)}, ${formatShare(item.selfShare)} of ${view.measure}${item.findings.length ? `, ${item.findings.length} finding${item.findings.length > 1 ? 's' : ''}` : ''}`;
  const li = attrs({
    role: 'treeitem',
    id: `node-${node.id}`,
    'data-node': node.id,
    'aria-level': node.depth + 1,
    'aria-expanded': hasChildren ? 'true' : undefined,
    'aria-selected': 'false',
    'aria-label': label,
    tabindex: first ? 0 : -1,
  });
  const children = hasChildren ? `<ul role="group">${node.children.map((child) => renderItem(view, view.nodes[child.id], false)).join('')}</ul>` : '';
  return `<li${li}><div class="row">${nodeCell(item, hasChildren)}${metricCells(view, item)}</div>${children}</li>`;
}

function nodeCell(item: NodeView, hasChildren: boolean): string {
  const { node, title } = item;
  const sub = node.subplanName ? `<span class="subplan">${esc(node.subplanName)}</span>` : '';
  const target = title.target ? ` <span class="target">${esc(title.target)}</span>` : '';
  const badges = item.findings
    .map(({ index, finding }) => `<span class="badge sev-${esc(finding.severity)}" data-finding="${index}" title="${esc(finding.message)}">${esc(finding.code)}</span>`)
    .join('');
  const details = nodeDetails(node)
    .map((d) => `<span class="detail"><span class="detail-label">${esc(d.label)}</span> ${d.code ? `<code>${esc(d.value)}</code>` : esc(d.value)}</span>`)
    .join('');
  return [
    '<div class="cell-node">',
    `<span class="twisty${hasChildren ? '' : ' leaf'}" aria-hidden="true"></span>`,
    '<div class="node-text">',
    `<div class="node-title">${sub}<span class="op">${esc(title.name)}</span>${target}${badges ? ` <span class="badges">${badges}</span>` : ''}</div>`,
    details ? `<div class="details">${details}</div>` : '',
    '</div></div>',
  ].join('');
}

function metricCells(view: PlanView, item: NodeView): string {
  const { node } = item;
  const time = view.measure === 'time';
  const amount = (value: number) => (time ? formatMs(value) : formatCost(value));
  const never = node.actual?.loops === 0;
  const self = never ? '<span class="muted">—</span>' : `${esc(amount(item.self))}`;
  const bar = [
    // Height and corners come from the stylesheet; only the widths are data.
    `<svg class="share" aria-hidden="true">`,
    `<rect class="incl" width="${pct(item.totalShare)}"/>`,
    `<rect class="excl heat-${heat(item.selfShare)}" width="${pct(item.selfShare)}"/>`,
    '</svg>',
  ].join('');
  const cells = [
    `<span class="cell num self" title="${esc(`This node alone: ${amount(item.self)} (${formatShare(item.selfShare)} of the plan)`)}">${self}</span>`,
    `<span class="cell bar"><span class="share-label">${formatShare(item.selfShare)}</span>${bar}</span>`,
    `<span class="cell num total" title="${esc(`With everything below it: ${amount(item.total)} (${formatShare(item.totalShare)})`)}">${never ? '<span class="muted">—</span>' : esc(amount(item.total))}</span>`,
    `<span class="cell num rows">${rowsCell(item)}</span>`,
  ];
  if (view.plan.analyzed) {
    cells.push(`<span class="cell num loops">${node.actual ? esc(formatRows(node.actual.loops)) : ''}</span>`);
    cells.push(`<span class="cell num buffers">${buffersCell(item)}</span>`);
  }
  return cells.join('');
}

function rowsCell(item: NodeView): string {
  const { node } = item;
  const estimated = `<span class="est" title="${esc(`${rowsText(node.planRows)} estimated${node.actual ? ' per loop' : ''}`)}">${esc(formatRows(node.planRows))}</span>`;
  if (!node.actual) return estimated;
  if (node.actual.loops === 0) return `${estimated} <span class="muted never">never executed</span>`;
  const perLoop = node.actual.loops > 1 ? ` per loop, ${rowsText(node.actual.rows * node.actual.loops)} in all` : '';
  const actual = `<span class="act" title="${esc(`${rowsText(node.actual.rows)}${perLoop}`)}">${esc(formatRows(node.actual.rows))}</span>`;
  const miss = item.misestimate;
  let factor = '';
  if (miss && miss.factor >= MISESTIMATE_FACTOR) {
    const what = miss.direction === 'under' ? 'more' : 'fewer';
    factor = ` <span class="misestimate ${miss.direction}" title="${esc(`${formatFactor(miss.factor)} ${what} rows than the planner estimated`)}">${miss.direction === 'under' ? '▲' : '▼'}${esc(formatFactor(miss.factor))}</span>`;
  }
  return `${estimated}<span class="arrow" aria-hidden="true"> → </span>${actual}${factor}`;
}

function rowsText(rows: number): string {
  return `${formatExactRows(rows)} ${rows === 1 ? 'row' : 'rows'}`;
}

function buffersCell(item: NodeView): string {
  const b = item.node.buffers;
  if (!b) return '';
  const hit = b.sharedHit + b.localHit;
  const read = b.sharedRead + b.localRead;
  const temp = b.tempRead + b.tempWritten;
  if (hit + read + temp === 0) return '<span class="muted">0</span>';
  const title = [`hit ${formatBlocks(hit)}`, `read ${formatBlocks(read)}`, temp ? `temp ${formatBlocks(temp)}` : ''].filter(Boolean).join('\n');
  const parts = [hit ? `<span class="hit">${esc(formatRows(hit))} hit</span>` : '', read ? `<span class="read">${esc(formatRows(read))} read</span>` : '', temp ? `<span class="temp">${esc(formatRows(temp))} temp</span>` : ''];
  return `<span title="${esc(title)}">${parts.filter(Boolean).join(' ')}</span>`;
}

/** Five steps of "how much of the plan is this node alone", shared by bars and the flame graph. */
export function heat(share: number): number {
  return share >= 0.5 ? 4 : share >= 0.25 ? 3 : share >= 0.1 ? 2 : share >= 0.03 ? 1 : 0;
}
