/**
 * A query plan as pglens reasons about it, read from `EXPLAIN (FORMAT JSON)` of PostgreSQL 13–18.
 * Costs are the planner's units; times are milliseconds; row counts are per loop unless named `total`.
 */
export interface ActualStats {
  startupTimeMs: number;
  /** Per loop, as PostgreSQL reports it. */
  totalTimeMs: number;
  /** Per loop (PostgreSQL 18 reports fractions). */
  rows: number;
  loops: number;
}

export interface BufferStats {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  tempRead: number;
  tempWritten: number;
}

export interface PlanNode {
  /** Position in a pre-order walk, 0 for the root; stable for one plan. */
  id: number;
  /** PostgreSQL's node type: `Seq Scan`, `Hash Join`, `ModifyTable`, … */
  nodeType: string;
  /** `Parallel Seq Scan on orders o`, as EXPLAIN's text format would title the node. */
  label: string;
  depth: number;
  parallelAware: boolean;
  /** Outer, Inner, InitPlan, SubPlan, Member, … */
  parentRelationship?: string;
  /** `CTE recent`, `SubPlan 1`, … */
  subplanName?: string;
  relation?: string;
  schema?: string;
  alias?: string;
  index?: string;
  cteName?: string;
  functionName?: string;
  joinType?: string;
  strategy?: string;
  /** ModifyTable: Insert, Update, Delete, Merge. */
  operation?: string;

  startupCost: number;
  /** Inclusive of children, per loop. */
  totalCost: number;
  /** This node's own share: its total cost minus its children's, never negative. */
  exclusiveCost: number;
  planRows: number;
  planWidth: number;

  actual?: ActualStats;
  /** Time spent in this node and below, over all loops (wall clock, shared among parallel workers). */
  inclusiveTimeMs?: number;
  /** Time spent in this node alone. */
  exclusiveTimeMs?: number;
  buffers?: BufferStats;

  filter?: string;
  rowsRemovedByFilter?: number;
  indexCond?: string;
  recheckCond?: string;
  rowsRemovedByIndexRecheck?: number;
  hashCond?: string;
  mergeCond?: string;
  joinFilter?: string;
  rowsRemovedByJoinFilter?: number;
  sortKey?: string[];
  sortMethod?: string;
  sortSpaceUsedKb?: number;
  sortSpaceType?: string;
  hashBuckets?: number;
  hashBatches?: number;
  originalHashBatches?: number;
  peakMemoryKb?: number;
  /** HashAggregate (13+): batches and disk used when it spilled. */
  hashAggBatches?: number;
  diskUsageKb?: number;
  /** Material, CTE Scan, WindowAgg (18+): where tuples were stored. */
  storageType?: string;
  maxStorageKb?: number;
  /** Incremental Sort groups that sorted on disk. */
  incrementalSortDiskKb?: number;
  workersPlanned?: number;
  workersLaunched?: number;
  heapFetches?: number;
  /** PostgreSQL 18: the node was disabled by an enable_* setting (15–17 show a cost of 1e10). */
  disabled?: boolean;

  children: PlanNode[];
  /** Keys pglens does not model, kept for display and for later. */
  extra: Record<string, unknown>;
}

export interface TriggerStats {
  name: string;
  relation?: string;
  timeMs: number;
  calls: number;
}

export interface Plan {
  root: PlanNode;
  /** Every node in pre-order (index = id). */
  nodes: PlanNode[];
  /** The root's total cost. */
  totalCost: number;
  /** True when the plan carries actual timings (EXPLAIN ANALYZE). */
  analyzed: boolean;
  planningTimeMs?: number;
  executionTimeMs?: number;
  triggers: TriggerStats[];
  /** Top-level keys pglens does not model (JIT, Settings, Serialization, …). */
  extra: Record<string, unknown>;
}
