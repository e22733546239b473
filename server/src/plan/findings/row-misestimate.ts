import type { PlanNode } from '../model';
import { formatCount, nearestRelation, type PlanRule, type PlanRuleContext } from './plan-rule';

/**
 * `row-misestimate` (EXPLAIN ANALYZE only): a node returned at least `misestimateFactor` times more or
 * fewer rows than the planner expected, where it matters — enough rows, and reported where the error
 * starts rather than on every node that inherits it. Early stops (LIMIT, EXISTS, semi and anti joins)
 * legitimately return fewer rows than estimated and are not reported.
 */
export const rowMisestimate: PlanRule = {
  code: 'row-misestimate',
  severity: 'information',
  docs: { summary: 'The planner’s row estimate is off by 10× or more, which can make it pick a slow plan.' },
  check(ctx) {
    for (const node of ctx.plan.nodes) {
      const miss = misestimate(node, ctx);
      if (!miss) continue;
      // Report where the error starts: skip a node whose child is already off in the same direction.
      if (node.children.some((child) => misestimate(child, ctx)?.direction === miss.direction)) continue;
      const target = nearestRelation(node);
      const name = target?.relation ?? 'its input';
      const fix = `Run ANALYZE ${name === 'its input' ? '' : `${name} `}to refresh its statistics; if the estimate stays wrong, raise the column's statistics target or add extended statistics (CREATE STATISTICS) for correlated columns.`;
      const times = Math.round(miss.factor);
      ctx.report({
        node,
        relation: target?.relation,
        schema: target?.schema,
        alias: target?.alias,
        message: `${node.label} returned ${formatCount(miss.actual)} rows where the planner expected ${formatCount(miss.estimated)} (${times}× ${miss.direction === 'under' ? 'more' : 'fewer'}), so it may have chosen the wrong join or scan. ${fix}`,
        fix,
        data: { estimatedRows: miss.estimated, actualRows: miss.actual, loops: node.actual?.loops, factor: miss.factor, direction: miss.direction },
      });
    }
  },
};

/** Node types that pass rows through without estimating anything themselves. */
const PASS_THROUGH = new Set(['Limit', 'Gather', 'Gather Merge', 'Sort', 'Incremental Sort', 'Hash', 'Materialize', 'Memoize', 'ModifyTable', 'Result', 'LockRows', 'Unique', 'Append', 'Merge Append', 'Subquery Scan', 'CTE Scan']);

interface Misestimate {
  estimated: number;
  actual: number;
  factor: number;
  /** `under`: more rows than estimated (the dangerous case); `over`: fewer. */
  direction: 'under' | 'over';
}

function misestimate(node: PlanNode, ctx: PlanRuleContext): Misestimate | undefined {
  if (!node.actual || node.actual.loops === 0 || PASS_THROUGH.has(node.nodeType)) return undefined;
  const estimated = node.planRows;
  const actual = node.actual.rows;
  const factor = Math.max(actual, 1) / Math.max(estimated, 1);
  const direction = factor >= 1 ? 'under' : 'over';
  const ratio = direction === 'under' ? factor : 1 / factor;
  if (ratio < ctx.options.misestimateFactor) return undefined;
  if (Math.max(actual, estimated) * node.actual.loops < ctx.options.misestimateMinRows) return undefined;
  if (direction === 'over' && stoppedEarly(node, ctx.ancestors(node))) return undefined;
  return { estimated, actual, factor: ratio, direction };
}

/**
 * True when something above `node` may stop reading it early (a LIMIT, a sub-plan, a semi or anti
 * join): then fewer rows than estimated is expected, not a misestimate. The plan page asks too.
 */
export function stoppedEarly(node: PlanNode, ancestors: readonly PlanNode[]): boolean {
  return ancestors.some(
    (a) => a.nodeType === 'Limit' || a.parentRelationship === 'SubPlan' || a.parentRelationship === 'InitPlan' || /Semi|Anti/.test(a.joinType ?? ''),
  ) || node.parentRelationship === 'SubPlan' || node.parentRelationship === 'InitPlan';
}
