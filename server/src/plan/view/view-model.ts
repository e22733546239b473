import { ancestorsIn } from '../ancestors';
import { stoppedEarly } from '../findings/row-misestimate';
import type { Plan, PlanNode } from '../model';
import type { PlanFindingView } from './input';
import { nodeTitle, type NodeTitle } from './node-title';

/**
 * What the page draws for each node, computed once: where time (with ANALYZE) or cost goes, how far
 * the row estimate was off, and which findings point at it.
 */
export type Measure = 'time' | 'cost';

/** Estimates off by this factor or more are highlighted, as the row-misestimate rule reports them. */
export const MISESTIMATE_FACTOR = 10;

export interface Misestimate {
  /** ≥ 1: how many times more (`under`-estimated) or fewer (`over`) rows came than expected. */
  factor: number;
  direction: 'under' | 'over';
}

export interface NodeView {
  node: PlanNode;
  title: NodeTitle;
  /** This node alone / with everything below, in ms or cost units. */
  self: number;
  total: number;
  /** Shares of the whole plan, 0–1. */
  selfShare: number;
  totalShare: number;
  misestimate?: Misestimate;
  findings: { index: number; finding: PlanFindingView }[];
}

export interface PlanView {
  plan: Plan;
  measure: Measure;
  /** The root's inclusive time or cost: 100%. */
  total: number;
  nodes: NodeView[];
  maxDepth: number;
}

export function buildPlanView(plan: Plan, findings: readonly PlanFindingView[]): PlanView {
  const measure: Measure = plan.analyzed && (plan.root.inclusiveTimeMs ?? 0) > 0 ? 'time' : 'cost';
  const total = measure === 'time' ? plan.root.inclusiveTimeMs ?? 0 : plan.totalCost;
  const byNode = new Map<number, { index: number; finding: PlanFindingView }[]>();
  findings.forEach((finding, index) => {
    if (finding.node === undefined) return;
    const list = byNode.get(finding.node.id) ?? [];
    list.push({ index, finding });
    byNode.set(finding.node.id, list);
  });
  const share = (value: number) => (total > 0 ? Math.min(1, Math.max(0, value / total)) : 0);
  const ancestors = ancestorsIn(plan);
  const nodes = plan.nodes.map((node): NodeView => {
    const self = measure === 'time' ? node.exclusiveTimeMs ?? 0 : node.exclusiveCost;
    const inclusive = measure === 'time' ? node.inclusiveTimeMs ?? 0 : node.totalCost;
    const view: NodeView = {
      node,
      title: nodeTitle(node),
      self,
      total: inclusive,
      selfShare: share(self),
      totalShare: share(inclusive),
      findings: byNode.get(node.id) ?? [],
    };
    const miss = misestimateOf(node);
    // Fewer rows than estimated under a LIMIT (a top-N sort, say) is the plan working, not a misestimate.
    if (miss && !(miss.direction === 'over' && stoppedEarly(node, ancestors(node)))) view.misestimate = miss;
    return view;
  });
  return { plan, measure, total, nodes, maxDepth: plan.nodes.reduce((max, n) => Math.max(max, n.depth), 0) };
}

/** Rows per loop, actual against estimated; a node that never ran has no misestimate. */
export function misestimateOf(node: PlanNode): Misestimate | undefined {
  if (!node.actual || node.actual.loops === 0) return undefined;
  const ratio = Math.max(node.actual.rows, 1) / Math.max(node.planRows, 1);
  return ratio >= 1 ? { factor: ratio, direction: 'under' } : { factor: 1 / ratio, direction: 'over' };
}
