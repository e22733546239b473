import type { PlanNode } from '../model';
import { formatCount, formatPercent, type PlanRule, type PlanRuleContext } from './plan-rule';

/**
 * `seq-scan`: a sequential scan (parallel or not) over a table of at least `seqScanMinRows` rows.
 * The table size comes from the catalog's estimate, the plan's own rows, or — with ANALYZE — the rows
 * actually read. A scan a LIMIT stops early only counts the rows it is expected to read.
 */
export const seqScan: PlanRule = {
  code: 'seq-scan',
  severity: 'warning',
  docs: { summary: 'A sequential scan reads a large table row by row.' },
  check(ctx) {
    for (const node of ctx.plan.nodes) {
      if (node.nodeType !== 'Seq Scan' || !node.relation) continue;
      const rows = rowsRead(node, ctx);
      if (rows < ctx.options.seqScanMinRows) continue;
      const share = ctx.plan.totalCost > 0 ? Math.min(1, node.exclusiveCost / ctx.plan.totalCost) : 0;
      const removed = node.actual && node.rowsRemovedByFilter !== undefined ? node.rowsRemovedByFilter * node.actual.loops : undefined;
      const name = node.schema && node.schema !== 'public' ? `${node.schema}.${node.relation}` : node.relation;
      const scan = node.parallelAware ? 'Parallel sequential scan' : 'Sequential scan';
      const approx = node.actual ? '' : '~';
      const verb = node.actual ? 'read' : 'reads';
      const what = node.filter
        ? `${verb} ${approx}${formatCount(rows)} rows to keep those matching ${node.filter}${removed !== undefined ? `, discarding ${formatCount(removed)}` : ''}`
        : `${verb} ${node.actual ? '' : 'all '}${approx}${formatCount(rows)} rows`;
      const fix = node.filter
        ? 'If the filter keeps few rows, an index on the filtered columns avoids the scan (pglens advise tries one and says whether it pays); otherwise narrow the WHERE clause.'
        : 'Add a WHERE clause or a LIMIT if the query does not need every row.';
      ctx.report({
        node,
        relation: node.relation,
        schema: node.schema,
        alias: node.alias,
        message: `${scan} on ${name} ${what} (${formatPercent(share)} of the plan's cost). ${fix}`,
        fix,
        data: {
          rows: Math.round(rows),
          filter: node.filter,
          rowsRemovedByFilter: removed,
          costShare: share,
          parallel: node.parallelAware,
        },
      });
    }
  },
};

function rowsRead(node: PlanNode, ctx: PlanRuleContext): number {
  if (node.actual) {
    // What the scan really read: rows kept plus rows the filter threw away, over every loop.
    return (node.actual.rows + (node.rowsRemovedByFilter ?? 0)) * node.actual.loops;
  }
  const table = node.relation ? ctx.catalog?.lookup(node.relation, node.schema) : undefined;
  // Without a filter every row comes out; a parallel scan's row count is per process.
  const fromPlan = node.filter ? node.planRows : node.planRows * (node.parallelAware ? parallelProcesses(node, ctx) : 1);
  const tableRows = Math.max(table?.rowEstimate ?? 0, fromPlan);
  return tableRows * limitFraction(node, ctx);
}

function parallelProcesses(node: PlanNode, ctx: PlanRuleContext): number {
  const gather = ctx.ancestors(node).find((a) => a.nodeType === 'Gather' || a.nodeType === 'Gather Merge');
  return (gather?.workersPlanned ?? 0) + 1;
}

/** The share of the scan a LIMIT above it is expected to run (its cost over the scan's). */
function limitFraction(node: PlanNode, ctx: PlanRuleContext): number {
  let fraction = 1;
  for (const ancestor of ctx.ancestors(node)) {
    if (ancestor.nodeType === 'Limit' && node.totalCost > 0) fraction = Math.min(fraction, ancestor.totalCost / node.totalCost);
  }
  return Math.max(0, fraction);
}
