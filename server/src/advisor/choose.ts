import type { IndexDefinition } from './index-definition';

/**
 * Which verified candidate to suggest: among those the planner used and that cut the cost by at least
 * `minCostReduction`, the smallest one whose cost is within 10% of the best. A slightly slower index
 * that is a fraction of the size is the better trade: it is cheaper to build, to keep in memory and to
 * update on every write.
 */
export interface Measured {
  index: IndexDefinition;
  /** The statement's estimated total cost with this index in place. */
  cost: number;
  /** True when some plan node reads through the index. */
  used: boolean;
  sizeBytes: number;
}

export const NEAR_BEST = 1.1;

export function chooseIndex(costBefore: number, measured: readonly Measured[], minCostReduction: number): Measured | undefined {
  const helpful = measured.filter((m) => m.used && m.cost <= costBefore * (1 - minCostReduction));
  if (helpful.length === 0) return undefined;
  const best = Math.min(...helpful.map((m) => m.cost));
  const near = helpful.filter((m) => m.cost <= best * NEAR_BEST);
  const width = (m: Measured) => m.index.keys.length + m.index.include.length;
  return [...near].sort((a, b) => a.sizeBytes - b.sizeBytes || width(a) - width(b) || a.cost - b.cost)[0];
}
