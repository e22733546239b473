import type { PlanNode } from '../model';
import { formatKb, nearestRelation, type PlanRule } from './plan-rule';

/**
 * `disk-spill` (EXPLAIN ANALYZE only): a sort, hash, hash aggregate or tuple store that ran out of
 * work_mem and wrote to temporary files.
 */
export const diskSpill: PlanRule = {
  code: 'disk-spill',
  severity: 'warning',
  docs: { summary: 'A sort, hash or aggregate ran out of work_mem and spilled to disk.' },
  check(ctx) {
    for (const node of ctx.plan.nodes) {
      const spill = spillOf(node);
      if (!spill) continue;
      const target = nearestRelation(node);
      ctx.report({
        node,
        relation: target?.relation,
        schema: target?.schema,
        alias: target?.alias,
        message: `${node.label} ${spill.what}. ${spill.fix}`,
        fix: spill.fix,
        data: { kind: spill.kind, diskKb: spill.diskKb, batches: spill.batches },
      });
    }
  },
};

interface Spill {
  kind: 'sort' | 'hash' | 'hash-aggregate' | 'storage';
  what: string;
  fix: string;
  diskKb?: number;
  batches?: number;
}

const RAISE = 'Raise work_mem for this query (SET LOCAL work_mem = …) or process fewer rows';

function spillOf(node: PlanNode): Spill | undefined {
  const sortOnDisk = node.sortSpaceType === 'Disk' || /external/i.test(node.sortMethod ?? '');
  if (sortOnDisk || node.incrementalSortDiskKb !== undefined) {
    const diskKb = sortOnDisk ? node.sortSpaceUsedKb : node.incrementalSortDiskKb;
    return {
      kind: 'sort',
      what: `spilled to disk${diskKb !== undefined ? ` (${formatKb(diskKb)}${node.sortMethod ? `, ${node.sortMethod}` : ''})` : ''}`,
      fix: `${RAISE}; an index in ORDER BY order avoids the sort altogether.`,
      diskKb,
    };
  }
  if (node.nodeType === 'Hash' && (node.hashBatches ?? 1) > 1) {
    return {
      kind: 'hash',
      what: `split into ${node.hashBatches} batches on disk because the hash table outgrew work_mem${node.peakMemoryKb !== undefined ? ` (${formatKb(node.peakMemoryKb)} in memory per batch)` : ''}`,
      fix: `${RAISE}; filtering the hashed side earlier also helps.`,
      batches: node.hashBatches,
    };
  }
  if ((node.hashAggBatches ?? 0) > 1 || (node.diskUsageKb ?? 0) > 0) {
    const parts = [node.diskUsageKb ? formatKb(node.diskUsageKb) : '', node.hashAggBatches ? `${node.hashAggBatches} batches` : ''].filter(Boolean);
    return {
      kind: 'hash-aggregate',
      what: `spilled to disk${parts.length ? ` (${parts.join(', ')})` : ''}`,
      fix: `${RAISE} (hash_mem_multiplier also counts for hash aggregates).`,
      diskKb: node.diskUsageKb,
      batches: node.hashAggBatches,
    };
  }
  if (node.storageType === 'Disk') {
    return {
      kind: 'storage',
      what: `stored its rows on disk${node.maxStorageKb !== undefined ? ` (${formatKb(node.maxStorageKb)})` : ''}`,
      fix: `${RAISE}.`,
      diskKb: node.maxStorageKb,
    };
  }
  return undefined;
}
