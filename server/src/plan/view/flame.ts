import type { PlanNode } from '../model';
import { formatCost, formatMs, formatShare } from './format';
import { esc, pct } from './html';
import { heat } from './tree';
import type { PlanView } from './view-model';

/**
 * An icicle graph of where time (or cost) goes: the root spans the width, each child sits under its
 * parent as wide as its inclusive share, coloured by what the node spends alone. Plain SVG with
 * percentage geometry, so it scales with the window and needs no script or inline styles (a CSP with
 * nonces forbids style attributes).
 */
const ROW = 24;
const BOX = 22;
/** Narrower boxes (of the full width) get no text: it would be a clipped letter or two. */
const MIN_LABEL = 0.035;

export interface FlameBox {
  id: number;
  x: number;
  width: number;
  depth: number;
}

/** Children share their parent's width in proportion; when they add up to more than the parent (a
 * Limit's cost, a CTE counted twice), they are scaled down to fit under it. */
export function layoutFlame(view: PlanView): FlameBox[] {
  const boxes: FlameBox[] = [];
  const value = (node: PlanNode) => Math.max(0, view.nodes[node.id].total);
  const place = (node: PlanNode, x: number, width: number) => {
    boxes.push({ id: node.id, x, width, depth: node.depth });
    const sum = node.children.reduce((s, child) => s + value(child), 0);
    const scale = Math.max(value(node), sum);
    let at = x;
    for (const child of node.children) {
      const w = scale > 0 ? (width * value(child)) / scale : 0;
      place(child, at, w);
      at += w;
    }
  };
  place(view.plan.root, 0, 1);
  return boxes;
}

export function renderFlame(view: PlanView): string {
  const boxes = layoutFlame(view);
  const height = (view.maxDepth + 1) * ROW;
  const amount = (v: number) => (view.measure === 'time' ? formatMs(v) : `cost ${formatCost(v)}`);
  const items = boxes.map((box) => {
    const item = view.nodes[box.id];
    const name = item.title.target ? `${item.title.name} ${item.title.target}` : item.title.name;
    const tip = `${name}\nself ${amount(item.self)} (${formatShare(item.selfShare)}) · total ${amount(item.total)} (${formatShare(item.totalShare)})`;
    const text = box.width >= MIN_LABEL ? `<text x="6" y="15">${esc(name)}</text>` : '';
    const flagged = item.findings.length ? ' flagged' : '';
    return (
      `<svg class="flame-box heat-${heat(item.selfShare)}${flagged}" id="flame-${box.id}" data-node="${box.id}" x="${pct(box.x)}" y="${box.depth * ROW}" width="${pct(box.width)}" height="${BOX}">` +
      `<title>${esc(tip)}</title><rect width="100%" height="100%" rx="3"/>${text}</svg>`
    );
  });
  const measure = view.measure === 'time' ? 'time' : 'estimated cost';
  return [
    `<figure class="flame-wrap">`,
    `<figcaption><span>Where the ${measure} goes</span><span class="legend"><span>width: ${view.measure === 'time' ? 'time' : 'cost'} including children</span><span class="legend-scale" aria-hidden="true">${[0, 1, 2, 3, 4].map((h) => `<i class="heat-${h}"></i>`).join('')}</span><span>colour: the node alone</span></span></figcaption>`,
    `<svg class="flame" width="100%" height="${height}" role="img" aria-label="${esc(`Icicle graph of ${view.nodes.length} plan nodes by ${measure}; select nodes in the tree below`)}">${items.join('')}</svg>`,
    `</figure>`,
  ].join('');
}
