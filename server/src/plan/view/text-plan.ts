import type { BufferStats, Plan, PlanNode } from '../model';
import { titleText } from './node-title';

/**
 * The plan in PostgreSQL's text format, rebuilt from the model: the same titles, indentation, detail
 * lines and order as `EXPLAIN (ANALYZE, BUFFERS)` prints (see explain.c), so people can paste it where
 * they would paste psql's output. Details pglens does not know stay out rather than being guessed.
 */
export interface TextPlanOptions {
  /**
   * PostgreSQL 18 prints actual rows with two decimals (`rows=10.00`). Default: when the raw JSON
   * says it came from 18 (see `fromPostgres18`), or when some row count is fractional.
   */
  fractionalRows?: boolean;
}

export function renderTextPlan(plan: Plan, options: TextPlanOptions = {}): string {
  const lines: string[] = [];
  const fractionalRows = options.fractionalRows ?? plan.nodes.some((n) => n.actual && !Number.isInteger(n.actual.rows));
  writeNode(plan.root, 0, lines, plan.analyzed, fractionalRows);
  writeTrailer(plan, lines);
  return lines.join('\n');
}

function writeNode(node: PlanNode, startIndent: number, lines: string[], analyzed: boolean, fractionalRows: boolean): void {
  let indent = startIndent;
  if (node.subplanName) {
    lines.push(`${spaces(indent)}${node.subplanName}`);
    indent++;
  }
  let head = '';
  if (indent > 0) {
    head = `${spaces(indent)}->  `;
    indent += 2;
  }
  head += `${titleText(node)}  (cost=${fixed(node.startupCost, 2)}..${fixed(node.totalCost, 2)} rows=${fixed(node.planRows, 0)} width=${node.planWidth})`;
  if (analyzed && node.actual) {
    const a = node.actual;
    head +=
      a.loops === 0
        ? ' (never executed)'
        : ` (actual time=${fixed(a.startupTimeMs, 3)}..${fixed(a.totalTimeMs, 3)} rows=${fixed(a.rows, fractionalRows ? 2 : 0)} loops=${fixed(a.loops, 0)})`;
  }
  lines.push(head);
  indent++;
  const prefix = spaces(indent);
  for (const detail of detailLines(node)) lines.push(prefix + detail);
  for (const child of node.children) writeNode(child, indent, lines, analyzed, fractionalRows);
}

/** PostgreSQL 18 writes `"Disabled"` on every node of a JSON plan; earlier versions never do. */
export function fromPostgres18(json: unknown): boolean {
  let document = json;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document) as unknown;
    } catch {
      return false;
    }
  }
  if (Array.isArray(document)) document = document[0];
  const plan = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).Plan : undefined;
  return typeof plan === 'object' && plan !== null && 'Disabled' in plan;
}

/** Detail lines in explain.c's order for the node type, then buffers, then per-worker lines. */
function detailLines(node: PlanNode): string[] {
  const out: string[] = [];
  if (node.disabled) out.push('Disabled: true');
  const x = node.extra;
  const add = (label: string, value: unknown) => {
    if (typeof value === 'string' && value !== '') out.push(`${label}: ${value}`);
    else if (Array.isArray(value) && value.length) out.push(`${label}: ${value.join(', ')}`);
  };
  const removed = (label: string, value: number | undefined) => {
    if (node.actual && value !== undefined && value > 0) out.push(`${label}: ${fixed(value, 0)}`);
  };
  const filter = () => {
    add('Filter', node.filter);
    if (node.filter) removed('Rows Removed by Filter', node.rowsRemovedByFilter);
  };
  switch (node.nodeType) {
    case 'Index Scan':
    case 'Index Only Scan':
      add('Index Cond', node.indexCond);
      if (node.indexCond) removed('Rows Removed by Index Recheck', node.rowsRemovedByIndexRecheck);
      add('Order By', x['Order By']);
      filter();
      if (node.nodeType === 'Index Only Scan' && node.actual && node.heapFetches !== undefined) out.push(`Heap Fetches: ${fixed(node.heapFetches, 0)}`);
      indexSearches(node, out);
      break;
    case 'Bitmap Index Scan':
      add('Index Cond', node.indexCond);
      indexSearches(node, out);
      break;
    case 'Bitmap Heap Scan':
      add('Recheck Cond', node.recheckCond);
      if (node.recheckCond) removed('Rows Removed by Index Recheck', node.rowsRemovedByIndexRecheck);
      filter();
      heapBlocks(node, out);
      break;
    case 'Gather':
    case 'Gather Merge':
      filter();
      if (node.workersPlanned !== undefined) out.push(`Workers Planned: ${node.workersPlanned}`);
      add('Params Evaluated', x['Params Evaluated']);
      if (node.actual && node.workersLaunched !== undefined) out.push(`Workers Launched: ${node.workersLaunched}`);
      if (x['Single Copy'] === true) out.push('Single Copy: true');
      break;
    case 'Nested Loop':
    case 'Merge Join':
    case 'Hash Join':
      add('Merge Cond', node.mergeCond);
      add('Hash Cond', node.hashCond);
      add('Join Filter', node.joinFilter);
      if (node.joinFilter) removed('Rows Removed by Join Filter', node.rowsRemovedByJoinFilter);
      filter();
      break;
    case 'Aggregate':
      add('Group Key', x['Group Key']);
      add('Filter', node.filter);
      hashAggregate(node, out);
      if (node.filter) removed('Rows Removed by Filter', node.rowsRemovedByFilter);
      break;
    case 'Group':
      add('Group Key', x['Group Key']);
      filter();
      break;
    case 'Sort':
      add('Sort Key', node.sortKey);
      if (node.sortMethod && node.sortSpaceUsedKb !== undefined) {
        out.push(`Sort Method: ${node.sortMethod}  ${node.sortSpaceType ?? 'Memory'}: ${fixed(node.sortSpaceUsedKb, 0)}kB`);
      }
      break;
    case 'Incremental Sort':
      add('Sort Key', node.sortKey);
      add('Presorted Key', x['Presorted Key']);
      break;
    case 'Merge Append':
      add('Sort Key', node.sortKey);
      break;
    case 'Result':
      add('One-Time Filter', x['One-Time Filter']);
      filter();
      break;
    case 'Hash':
      hashTable(node, out);
      break;
    case 'Memoize':
      add('Cache Key', x['Cache Key']);
      add('Cache Mode', x['Cache Mode']);
      memoize(node, out);
      break;
    case 'WindowAgg':
      add('Window', x.Window);
      add('Run Condition', x['Run Condition']);
      filter();
      storage(node, out);
      break;
    case 'Materialize':
      storage(node, out);
      break;
    default:
      filter();
      if (node.nodeType === 'CTE Scan' || node.nodeType === 'Table Function Scan') storage(node, out);
  }
  const buffers = buffersLine(node.buffers, node.extra);
  if (buffers) out.push(buffers);
  out.push(...workerLines(node));
  return out;
}

/** PostgreSQL 18: how many times the index was descended. */
function indexSearches(node: PlanNode, out: string[]): void {
  const searches = num(node.extra['Index Searches']);
  if (node.actual && searches !== undefined) out.push(`Index Searches: ${fixed(searches, 0)}`);
}

/** PostgreSQL 18: where a Materialize, CTE Scan or WindowAgg kept its rows. */
function storage(node: PlanNode, out: string[]): void {
  if (node.actual && node.storageType && node.maxStorageKb !== undefined) out.push(`Storage: ${node.storageType}  Maximum Storage: ${fixed(node.maxStorageKb, 0)}kB`);
}

function heapBlocks(node: PlanNode, out: string[]): void {
  const exact = num(node.extra['Exact Heap Blocks']) ?? 0;
  const lossy = num(node.extra['Lossy Heap Blocks']) ?? 0;
  if (!node.actual || (exact <= 0 && lossy <= 0)) return;
  out.push(`Heap Blocks:${exact > 0 ? ` exact=${exact}` : ''}${lossy > 0 ? ` lossy=${lossy}` : ''}`);
}

function hashAggregate(node: PlanNode, out: string[]): void {
  const parts: string[] = [];
  const planned = num(node.extra['Planned Partitions']) ?? 0;
  if (planned > 0) parts.push(`Planned Partitions: ${planned}`);
  if (node.actual && node.hashAggBatches !== undefined && (node.peakMemoryKb ?? 0) > 0) {
    parts.push(`Batches: ${node.hashAggBatches}  Memory Usage: ${fixed(node.peakMemoryKb ?? 0, 0)}kB`);
    if (node.hashAggBatches > 1) parts.push(`Disk Usage: ${fixed(node.diskUsageKb ?? 0, 0)}kB`);
  }
  if (parts.length) out.push(parts.join('  '));
}

function hashTable(node: PlanNode, out: string[]): void {
  if (!node.actual || node.hashBuckets === undefined || node.hashBatches === undefined) return;
  const originalBuckets = num(node.extra['Original Hash Buckets']) ?? node.hashBuckets;
  const originalBatches = node.originalHashBatches ?? node.hashBatches;
  const memory = `Memory Usage: ${fixed(node.peakMemoryKb ?? 0, 0)}kB`;
  if (originalBuckets !== node.hashBuckets || originalBatches !== node.hashBatches) {
    out.push(`Buckets: ${node.hashBuckets} (originally ${originalBuckets})  Batches: ${node.hashBatches} (originally ${originalBatches})  ${memory}`);
  } else {
    out.push(`Buckets: ${node.hashBuckets}  Batches: ${node.hashBatches}  ${memory}`);
  }
}

function memoize(node: PlanNode, out: string[]): void {
  const x = node.extra;
  const hits = num(x['Cache Hits']);
  if (!node.actual || hits === undefined) return;
  out.push(
    `Hits: ${hits}  Misses: ${num(x['Cache Misses']) ?? 0}  Evictions: ${num(x['Cache Evictions']) ?? 0}  Overflows: ${num(x['Cache Overflows']) ?? 0}  Memory Usage: ${fixed(node.peakMemoryKb ?? 0, 0)}kB`,
  );
}

/** `raw` holds the keys the model leaves out (local dirtied/written). */
function buffersLine(b: BufferStats | undefined, raw: Record<string, unknown>): string | undefined {
  if (!b) return undefined;
  const localDirtied = num(raw['Local Dirtied Blocks']) ?? 0;
  const localWritten = num(raw['Local Written Blocks']) ?? 0;
  const group = (name: string, counts: [string, number][]) => {
    const shown = counts.filter(([, n]) => n > 0).map(([k, n]) => ` ${k}=${n}`);
    return shown.length ? ` ${name}${shown.join('')}` : '';
  };
  const groups = [
    group('shared', [['hit', b.sharedHit], ['read', b.sharedRead], ['dirtied', b.sharedDirtied], ['written', b.sharedWritten]]),
    group('local', [['hit', b.localHit], ['read', b.localRead], ['dirtied', localDirtied], ['written', localWritten]]),
    group('temp', [['read', b.tempRead], ['written', b.tempWritten]]),
  ].filter(Boolean);
  return groups.length ? `Buffers:${groups.join(',')}` : undefined;
}

/** `Worker 0:  Sort Method: …` lines, which text EXPLAIN prints after the node's buffers. */
function workerLines(node: PlanNode): string[] {
  const workers = node.extra.Workers;
  if (!Array.isArray(workers) || !node.actual) return [];
  const out: string[] = [];
  for (const worker of workers) {
    if (typeof worker !== 'object' || worker === null) continue;
    const w = worker as Record<string, unknown>;
    const n = num(w['Worker Number']);
    if (n === undefined) continue;
    if (typeof w['Sort Method'] === 'string') {
      out.push(`Worker ${n}:  Sort Method: ${w['Sort Method']}  ${String(w['Sort Space Type'] ?? 'Memory')}: ${fixed(num(w['Sort Space Used']) ?? 0, 0)}kB`);
    } else if (num(w['HashAgg Batches']) !== undefined && (num(w['Peak Memory Usage']) ?? 0) > 0) {
      const batches = num(w['HashAgg Batches']) ?? 0;
      const disk = batches > 1 ? `  Disk Usage: ${fixed(num(w['Disk Usage']) ?? 0, 0)}kB` : '';
      out.push(`Worker ${n}:  Batches: ${batches}  Memory Usage: ${fixed(num(w['Peak Memory Usage']) ?? 0, 0)}kB${disk}`);
    }
  }
  return out;
}

function writeTrailer(plan: Plan, lines: string[]): void {
  const planning = plan.extra.Planning;
  if (typeof planning === 'object' && planning !== null) {
    const p = planning as Record<string, unknown>;
    const buffers = buffersLine(readBuffers(p), p);
    if (buffers) lines.push('Planning:', `  ${buffers}`);
  }
  if (plan.planningTimeMs !== undefined) lines.push(`Planning Time: ${fixed(plan.planningTimeMs, 3)} ms`);
  for (const trigger of plan.triggers) {
    lines.push(`Trigger ${trigger.name}${trigger.relation ? ` on ${trigger.relation}` : ''}: time=${fixed(trigger.timeMs, 3)} calls=${fixed(trigger.calls, 0)}`);
  }
  lines.push(...jitLines(plan.extra.JIT));
  if (plan.executionTimeMs !== undefined) lines.push(`Execution Time: ${fixed(plan.executionTimeMs, 3)} ms`);
}

function readBuffers(json: Record<string, unknown>): BufferStats {
  const n = (key: string) => num(json[key]) ?? 0;
  return {
    sharedHit: n('Shared Hit Blocks'),
    sharedRead: n('Shared Read Blocks'),
    sharedDirtied: n('Shared Dirtied Blocks'),
    sharedWritten: n('Shared Written Blocks'),
    localHit: n('Local Hit Blocks'),
    localRead: n('Local Read Blocks'),
    tempRead: n('Temp Read Blocks'),
    tempWritten: n('Temp Written Blocks'),
  };
}

function jitLines(jit: unknown): string[] {
  if (typeof jit !== 'object' || jit === null) return [];
  const j = jit as Record<string, unknown>;
  const out = ['JIT:', `  Functions: ${num(j.Functions) ?? 0}`];
  const options = j.Options;
  if (typeof options === 'object' && options !== null) {
    out.push(`  Options: ${Object.entries(options).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
  }
  const timing = j.Timing;
  if (typeof timing === 'object' && timing !== null) {
    const parts = Object.entries(timing)
      .map(([k, v]) => (typeof v === 'number' ? `${k} ${fixed(v, 3)} ms` : typeof v === 'object' && v !== null ? `${k} ${fixed(num((v as Record<string, unknown>).Total) ?? 0, 3)} ms` : ''))
      .filter(Boolean);
    out.push(`  Timing: ${parts.join(', ')}`);
  }
  return out;
}

function spaces(indent: number): string {
  return ' '.repeat(indent * 2);
}

/** C's `%.Nf`: PostgreSQL prints costs with 2 decimals, times with 3, counts with none. */
function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
