import type { BufferStats, Plan, PlanNode, TriggerStats } from './model';

/**
 * Reads `EXPLAIN (FORMAT JSON)` output of PostgreSQL 13–18 into the plan model. Accepts the array
 * PostgreSQL returns, its single element, or the JSON text. Unknown keys are kept in `extra`; wrong
 * input gives a clear message instead of an exception.
 */
export type PlanParseOutcome = { ok: true; plan: Plan } | { ok: false; message: string };

type Json = Record<string, unknown>;

/** Keys read into typed fields; everything else on a node lands in `extra`. */
const NODE_STRINGS = {
  'Parent Relationship': 'parentRelationship',
  'Subplan Name': 'subplanName',
  'Relation Name': 'relation',
  Schema: 'schema',
  Alias: 'alias',
  'Index Name': 'index',
  'CTE Name': 'cteName',
  'Function Name': 'functionName',
  'Join Type': 'joinType',
  Strategy: 'strategy',
  Operation: 'operation',
  Filter: 'filter',
  'Index Cond': 'indexCond',
  'Recheck Cond': 'recheckCond',
  'Hash Cond': 'hashCond',
  'Merge Cond': 'mergeCond',
  'Join Filter': 'joinFilter',
  'Sort Method': 'sortMethod',
  'Sort Space Type': 'sortSpaceType',
  Storage: 'storageType',
} as const satisfies Record<string, keyof PlanNode>;

const NODE_NUMBERS = {
  'Rows Removed by Filter': 'rowsRemovedByFilter',
  'Rows Removed by Index Recheck': 'rowsRemovedByIndexRecheck',
  'Rows Removed by Join Filter': 'rowsRemovedByJoinFilter',
  'Sort Space Used': 'sortSpaceUsedKb',
  'Hash Buckets': 'hashBuckets',
  'Hash Batches': 'hashBatches',
  'Original Hash Batches': 'originalHashBatches',
  'Peak Memory Usage': 'peakMemoryKb',
  'HashAgg Batches': 'hashAggBatches',
  'Disk Usage': 'diskUsageKb',
  'Maximum Storage': 'maxStorageKb',
  'Workers Planned': 'workersPlanned',
  'Workers Launched': 'workersLaunched',
  'Heap Fetches': 'heapFetches',
} as const satisfies Record<string, keyof PlanNode>;

const BUFFER_KEYS: Record<string, keyof BufferStats> = {
  'Shared Hit Blocks': 'sharedHit',
  'Shared Read Blocks': 'sharedRead',
  'Shared Dirtied Blocks': 'sharedDirtied',
  'Shared Written Blocks': 'sharedWritten',
  'Local Hit Blocks': 'localHit',
  'Local Read Blocks': 'localRead',
  'Temp Read Blocks': 'tempRead',
  'Temp Written Blocks': 'tempWritten',
};

/** How each key pglens knows is read: into a typed field of a kind, or by readNode itself (`handled`). */
type KeyReader = { kind: 'string' | 'number'; field: string } | { kind: 'buffer'; field: keyof BufferStats } | { kind: 'handled' };

const KEYS = new Map<string, KeyReader>([
  ...Object.entries(NODE_STRINGS).map(([key, field]): [string, KeyReader] => [key, { kind: 'string', field }]),
  ...Object.entries(NODE_NUMBERS).map(([key, field]): [string, KeyReader] => [key, { kind: 'number', field }]),
  ...Object.entries(BUFFER_KEYS).map(([key, field]): [string, KeyReader] => [key, { kind: 'buffer', field }]),
  ...[
    'Node Type',
  'Parallel Aware',
  'Startup Cost',
  'Total Cost',
  'Plan Rows',
  'Plan Width',
  'Actual Startup Time',
  'Actual Total Time',
  'Actual Rows',
  'Actual Loops',
    'Sort Key',
    'Disabled',
    'Plans',
  ].map((key): [string, KeyReader] => [key, { kind: 'handled' }]),
]);

/** A node that reports buffers reports every counter; one it leaves out was zero. */
function noBuffers(): BufferStats {
  const buffers = {} as BufferStats;
  for (const field of Object.values(BUFFER_KEYS)) buffers[field] = 0;
  return buffers;
}

export function parsePlan(input: unknown): PlanParseOutcome {
  let document = input;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document) as unknown;
    } catch {
      return { ok: false, message: 'The plan is not valid JSON; run EXPLAIN with FORMAT JSON.' };
    }
  }
  if (Array.isArray(document)) document = document[0];
  if (!isJson(document) || !isJson(document.Plan)) {
    return { ok: false, message: 'This is not EXPLAIN (FORMAT JSON) output: it has no "Plan" object.' };
  }
  const nodes: PlanNode[] = [];
  let root: PlanNode;
  try {
    root = readNode(document.Plan, 0, nodes);
  } catch (error) {
    return { ok: false, message: `The plan could not be read: ${error instanceof Error ? error.message : String(error)}.` };
  }
  const analyzed = root.actual !== undefined;
  if (analyzed) computeTimes(root, 1);
  const extra: Json = {};
  for (const [key, value] of Object.entries(document)) {
    if (!['Plan', 'Planning Time', 'Execution Time', 'Triggers'].includes(key)) extra[key] = value;
  }
  const plan: Plan = { root, nodes, totalCost: root.totalCost, analyzed, triggers: readTriggers(document.Triggers), extra };
  const planning = num(document['Planning Time']);
  const execution = num(document['Execution Time']);
  if (planning !== undefined) plan.planningTimeMs = planning;
  if (execution !== undefined) plan.executionTimeMs = execution;
  return { ok: true, plan };
}

function readNode(json: Json, depth: number, nodes: PlanNode[]): PlanNode {
  const nodeType = typeof json['Node Type'] === 'string' ? json['Node Type'] : undefined;
  if (!nodeType) throw new Error('a plan node has no "Node Type"');
  const node: PlanNode = {
    id: nodes.length,
    nodeType,
    label: nodeType,
    depth,
    parallelAware: json['Parallel Aware'] === true,
    startupCost: num(json['Startup Cost']) ?? 0,
    totalCost: num(json['Total Cost']) ?? 0,
    exclusiveCost: 0,
    planRows: num(json['Plan Rows']) ?? 0,
    planWidth: num(json['Plan Width']) ?? 0,
    children: [],
    extra: {},
  };
  nodes.push(node);
  const target = node as unknown as Record<string, unknown>;
  // One pass over the node's own keys (a dozen or so), each looked up once, rather than a lookup of
  // every key pglens knows: this runs for every plan a hover shows. Unknown keys land in `extra`.
  let buffers: BufferStats | undefined;
  for (const key of Object.keys(json)) {
    const value = json[key];
    const reader = KEYS.get(key);
    if (!reader) node.extra[key] = value;
    else if (reader.kind === 'string') {
      if (typeof value === 'string') target[reader.field] = value;
    } else if (reader.kind === 'number') {
      const n = num(value);
      if (n !== undefined) target[reader.field] = n;
    } else if (reader.kind === 'buffer') {
      (buffers ??= noBuffers())[reader.field] = num(value) ?? 0;
    }
  }
  if (buffers) node.buffers = buffers;
  const totalTime = num(json['Actual Total Time']);
  const loops = num(json['Actual Loops']);
  if (loops !== undefined) {
    node.actual = {
      startupTimeMs: num(json['Actual Startup Time']) ?? 0,
      totalTimeMs: totalTime ?? 0,
      rows: num(json['Actual Rows']) ?? 0,
      loops,
    };
  }
  if (Array.isArray(json['Sort Key'])) node.sortKey = json['Sort Key'].map(String);
  if (json.Disabled === true) node.disabled = true;
  const incrementalSortDiskKb = incrementalSortDisk(json);
  if (incrementalSortDiskKb !== undefined) node.incrementalSortDiskKb = incrementalSortDiskKb;
  node.label = labelOf(node);

  const children = Array.isArray(json.Plans) ? json.Plans : [];
  for (const child of children) if (isJson(child)) node.children.push(readNode(child, depth + 1, nodes));
  node.exclusiveCost = Math.max(0, node.totalCost - node.children.reduce((sum, child) => sum + child.totalCost, 0));
  return node;
}

/** Incremental Sort reports per group kind: `"Full-sort Groups": { "Sort Space Disk": { "Peak Sort Space Used": … } }`. */
function incrementalSortDisk(json: Json): number | undefined {
  let peak: number | undefined;
  for (const key of ['Full-sort Groups', 'Pre-sorted Groups']) {
    const group = json[key];
    const disk = isJson(group) ? group['Sort Space Disk'] : undefined;
    const used = isJson(disk) ? num(disk['Peak Sort Space Used']) : undefined;
    if (used !== undefined) peak = Math.max(peak ?? 0, used);
  }
  return peak;
}

function labelOf(node: PlanNode): string {
  let label = node.nodeType;
  if (node.parallelAware) label = `Parallel ${label}`;
  if (node.strategy && node.nodeType === 'Aggregate') {
    const prefix: Record<string, string> = { Hashed: 'HashAggregate', Sorted: 'GroupAggregate', Mixed: 'MixedAggregate' };
    label = prefix[node.strategy] ?? label;
  }
  if (node.joinType && node.joinType !== 'Inner' && /Join|Nested Loop/.test(node.nodeType)) {
    label = node.nodeType === 'Nested Loop' ? `Nested Loop ${node.joinType} Join` : label.replace(/Join$/, `${node.joinType} Join`);
  }
  if (node.operation && node.nodeType === 'ModifyTable') label = node.operation;
  if (node.index) label += ` using ${node.index}`;
  const target = node.relation ?? (node.cteName ? `CTE ${node.cteName}` : node.functionName);
  if (target) {
    label += ` on ${node.schema && node.schema !== 'public' ? `${node.schema}.` : ''}${target}`;
    if (node.alias && node.alias !== (node.relation ?? node.cteName ?? node.functionName)) label += ` ${node.alias}`;
  }
  return label;
}

/** Inclusive and exclusive wall time; under Gather the per-loop average is shared by its processes. */
function computeTimes(node: PlanNode, processes: number): void {
  const launched = node.workersLaunched ?? node.workersPlanned;
  const below = node.nodeType === 'Gather' || node.nodeType === 'Gather Merge' ? (launched ?? 0) + 1 : processes;
  for (const child of node.children) computeTimes(child, below);
  if (!node.actual) return;
  const loops = node.actual.loops;
  node.inclusiveTimeMs = loops === 0 ? 0 : (node.actual.totalTimeMs * loops) / Math.min(processes, loops);
  const childTime = node.children.reduce((sum, child) => sum + (child.inclusiveTimeMs ?? 0), 0);
  node.exclusiveTimeMs = Math.max(0, node.inclusiveTimeMs - childTime);
}

function readTriggers(value: unknown): TriggerStats[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJson).map((t) => {
    const trigger: TriggerStats = { name: String(t['Trigger Name'] ?? ''), timeMs: num(t.Time) ?? 0, calls: num(t.Calls) ?? 0 };
    if (typeof t.Relation === 'string') trigger.relation = t.Relation;
    return trigger;
  });
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
