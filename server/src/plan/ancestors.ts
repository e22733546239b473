import type { Plan, PlanNode } from './model';

/** A lookup of each node's ancestors in `plan`, nearest first (nodes hold their children, not their parent). */
export function ancestorsIn(plan: Plan): (node: PlanNode) => PlanNode[] {
  const parents = new Map<PlanNode, PlanNode>();
  for (const node of plan.nodes) for (const child of node.children) parents.set(child, node);
  return (node) => {
    const chain: PlanNode[] = [];
    for (let p = parents.get(node); p; p = parents.get(p)) chain.push(p);
    return chain;
  };
}
