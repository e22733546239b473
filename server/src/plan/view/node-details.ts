import type { PlanNode } from '../model';
import { formatBytes, formatRows } from './format';

/** The conditions and facts worth a line under a node's title, as label/value pairs. */
export interface Detail {
  label: string;
  value: string;
  /** Expressions are set in the code font. */
  code?: boolean;
}

export function nodeDetails(node: PlanNode): Detail[] {
  const out: Detail[] = [];
  const loops = node.actual?.loops ?? 1;
  const removed = (count: number | undefined) => (node.actual && count ? ` — removed ${formatRows(count * loops)}` : '');
  const code = (label: string, value: string | undefined, suffix = '') => {
    if (value) out.push({ label, value: value + suffix, code: true });
  };
  code('Index Cond', node.indexCond);
  code('Recheck Cond', node.recheckCond, removed(node.rowsRemovedByIndexRecheck));
  code('Hash Cond', node.hashCond);
  code('Merge Cond', node.mergeCond);
  code('Join Filter', node.joinFilter, removed(node.rowsRemovedByJoinFilter));
  code('Filter', node.filter, removed(node.rowsRemovedByFilter));
  code('One-Time Filter', str(node.extra['One-Time Filter']));
  if (node.sortKey?.length) code('Sort Key', node.sortKey.join(', '));
  const groupKey = node.extra['Group Key'];
  if (Array.isArray(groupKey) && groupKey.length) code('Group Key', groupKey.join(', '));
  code('Cache Key', str(node.extra['Cache Key']));
  if (node.sortMethod) {
    const space = node.sortSpaceUsedKb !== undefined ? `, ${formatBytes(node.sortSpaceUsedKb * 1024)} ${(node.sortSpaceType ?? '').toLowerCase()}`.trimEnd() : '';
    out.push({ label: 'Sort', value: `${node.sortMethod}${space}` });
  }
  if (node.hashBatches !== undefined && node.actual) {
    const memory = node.peakMemoryKb !== undefined ? `, ${formatBytes(node.peakMemoryKb * 1024)}` : '';
    out.push({ label: 'Hash', value: `${node.hashBuckets ?? '?'} buckets, ${node.hashBatches} batch${node.hashBatches === 1 ? '' : 'es'}${memory}` });
  }
  if (node.hashAggBatches !== undefined && node.actual) {
    const disk = node.diskUsageKb ? `, ${formatBytes(node.diskUsageKb * 1024)} on disk` : '';
    out.push({ label: 'Hash', value: `${node.hashAggBatches} batch${node.hashAggBatches === 1 ? '' : 'es'}${node.peakMemoryKb !== undefined ? `, ${formatBytes(node.peakMemoryKb * 1024)}` : ''}${disk}` });
  }
  if (node.workersPlanned !== undefined) {
    out.push({ label: 'Workers', value: node.workersLaunched !== undefined ? `${node.workersLaunched} of ${node.workersPlanned} launched` : `${node.workersPlanned} planned` });
  }
  if (node.heapFetches !== undefined && node.actual) out.push({ label: 'Heap Fetches', value: formatRows(node.heapFetches) });
  if (node.disabled) out.push({ label: 'Disabled', value: 'by an enable_* setting' });
  return out;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
