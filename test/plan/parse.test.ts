import { describe, expect, it } from 'vitest';
import { planFindings } from '../../server/src/plan/findings/registry';
import { parsePlan } from '../../server/src/plan/parse';
import type { Plan } from '../../server/src/plan/model';

/**
 * Plans in the shapes PostgreSQL 13–18 print them (trimmed to the keys that matter), for what the local
 * PostgreSQL 15 cannot produce on demand: parallel plans, hash and hash-aggregate spills, incremental
 * sorts, PostgreSQL 18's "Disabled" and "Storage".
 */
function parsed(json: unknown): Plan {
  const outcome = parsePlan(json);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.plan;
}

const PARALLEL_15 = [
  {
    Plan: {
      'Node Type': 'Aggregate', Strategy: 'Plain', 'Partial Mode': 'Finalize', 'Parallel Aware': false,
      'Startup Cost': 10633.55, 'Total Cost': 10633.56, 'Plan Rows': 1, 'Plan Width': 8,
      'Actual Startup Time': 40.1, 'Actual Total Time': 41.0, 'Actual Rows': 1, 'Actual Loops': 1,
      Plans: [
        {
          'Node Type': 'Gather', 'Parent Relationship': 'Outer', 'Parallel Aware': false,
          'Startup Cost': 10633.33, 'Total Cost': 10633.54, 'Plan Rows': 2, 'Plan Width': 8,
          'Actual Startup Time': 39.9, 'Actual Total Time': 40.9, 'Actual Rows': 3, 'Actual Loops': 1,
          'Workers Planned': 2, 'Workers Launched': 2,
          Plans: [
            {
              'Node Type': 'Aggregate', Strategy: 'Plain', 'Partial Mode': 'Partial', 'Parent Relationship': 'Outer', 'Parallel Aware': false,
              'Startup Cost': 9633.33, 'Total Cost': 9633.34, 'Plan Rows': 1, 'Plan Width': 8,
              'Actual Startup Time': 36.0, 'Actual Total Time': 36.0, 'Actual Rows': 1, 'Actual Loops': 3,
              Plans: [
                {
                  'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Parallel Aware': true, 'Async Capable': false,
                  'Relation Name': 'big', Schema: 'public', Alias: 'big',
                  'Startup Cost': 0, 'Total Cost': 8591.67, 'Plan Rows': 416667, 'Plan Width': 0,
                  'Actual Startup Time': 0.01, 'Actual Total Time': 30.0, 'Actual Rows': 333333, 'Actual Loops': 3,
                  'Rows Removed by Filter': 0, Filter: '(flag IS NOT NULL)',
                  'Shared Hit Blocks': 4425, 'Shared Read Blocks': 0, 'Temp Written Blocks': 0,
                },
              ],
            },
          ],
        },
      ],
    },
    'Planning Time': 0.12,
    Triggers: [],
    'Execution Time': 41.2,
    JIT: { Functions: 3 },
  },
];

describe('parsePlan', () => {
  it('reads the tree, costs, actual rows and buffers, and keeps unknown keys', () => {
    const plan = parsed(PARALLEL_15);
    expect(plan.nodes.map((n) => n.label)).toEqual(['Aggregate', 'Gather', 'Aggregate', 'Parallel Seq Scan on big']);
    expect(plan).toMatchObject({ analyzed: true, planningTimeMs: 0.12, executionTimeMs: 41.2, totalCost: 10633.56 });
    expect(plan.extra).toEqual({ JIT: { Functions: 3 } });
    const scan = plan.nodes[3];
    expect(scan).toMatchObject({ relation: 'big', schema: 'public', alias: 'big', parallelAware: true, depth: 3, filter: '(flag IS NOT NULL)' });
    expect(scan.actual).toEqual({ startupTimeMs: 0.01, totalTimeMs: 30, rows: 333333, loops: 3 });
    expect(scan.buffers?.sharedHit).toBe(4425);
    expect(scan.extra).toEqual({ 'Async Capable': false });
    expect(plan.nodes[2].extra['Partial Mode']).toBe('Partial');
  });

  it('computes exclusive cost, and wall time shared by parallel workers', () => {
    const plan = parsed(PARALLEL_15);
    const [finalize, gather, partial, scan] = plan.nodes;
    expect(gather.exclusiveCost).toBeCloseTo(10633.54 - 9633.34, 5);
    expect(finalize.exclusiveCost).toBeCloseTo(0.02, 5);
    // Three processes ran the scan for ~30 ms each, side by side: ~30 ms of wall time, not 90.
    expect(scan.inclusiveTimeMs).toBeCloseTo(30, 5);
    expect(partial.exclusiveTimeMs).toBeCloseTo(6, 5);
    expect(finalize.inclusiveTimeMs).toBe(41);
  });

  it('counts every process of a parallel scan towards seq-scan rows', () => {
    const plainPlan = JSON.parse(JSON.stringify(PARALLEL_15)) as typeof PARALLEL_15;
    const strip = (node: Record<string, unknown>) => {
      for (const key of Object.keys(node)) if (key.startsWith('Actual') || key.includes('Blocks') || key === 'Rows Removed by Filter') delete node[key];
      delete node.Filter;
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) strip(child);
    };
    strip(plainPlan[0].Plan);
    const [finding] = planFindings(parsed(plainPlan));
    expect(finding).toMatchObject({ code: 'seq-scan', relation: 'big', data: { rows: 416667 * 3, parallel: true } });
    expect(finding.message).toMatch(/^Parallel sequential scan on big reads all ~1,250,001 rows/);
  });

  it('reads spills of PostgreSQL 13+ hash aggregates, hashes, incremental sorts and 18 tuple stores', () => {
    const plan = parsed({
      Plan: {
        'Node Type': 'Hash Join', 'Join Type': 'Inner', 'Startup Cost': 1, 'Total Cost': 100, 'Plan Rows': 10, 'Plan Width': 4,
        'Actual Startup Time': 1, 'Actual Total Time': 90, 'Actual Rows': 10, 'Actual Loops': 1,
        Plans: [
          {
            'Node Type': 'Aggregate', Strategy: 'Hashed', 'Startup Cost': 1, 'Total Cost': 40, 'Plan Rows': 10, 'Plan Width': 4,
            'Actual Startup Time': 1, 'Actual Total Time': 30, 'Actual Rows': 10, 'Actual Loops': 1,
            'HashAgg Batches': 5, 'Peak Memory Usage': 4145, 'Disk Usage': 20480,
          },
          {
            'Node Type': 'Hash', 'Startup Cost': 1, 'Total Cost': 30, 'Plan Rows': 10, 'Plan Width': 4,
            'Actual Startup Time': 1, 'Actual Total Time': 20, 'Actual Rows': 10, 'Actual Loops': 1,
            'Hash Buckets': 65536, 'Original Hash Batches': 1, 'Hash Batches': 8, 'Peak Memory Usage': 3900,
            Plans: [
              {
                'Node Type': 'Incremental Sort', 'Startup Cost': 1, 'Total Cost': 20, 'Plan Rows': 10, 'Plan Width': 4,
                'Actual Startup Time': 1, 'Actual Total Time': 10, 'Actual Rows': 10, 'Actual Loops': 1,
                'Full-sort Groups': { 'Group Count': 2, 'Sort Methods Used': ['external merge'], 'Sort Space Disk': { 'Average Sort Space Used': 900, 'Peak Sort Space Used': 1200 } },
                Plans: [
                  {
                    'Node Type': 'Materialize', 'Startup Cost': 0, 'Total Cost': 5, 'Plan Rows': 10, 'Plan Width': 4, Disabled: true,
                    'Actual Startup Time': 0, 'Actual Total Time': 1, 'Actual Rows': 10.5, 'Actual Loops': 2, Storage: 'Disk', 'Maximum Storage': 9000,
                  },
                ],
              },
            ],
          },
        ],
      },
    });
    const kinds = planFindings(plan).filter((f) => f.code === 'disk-spill').map((f) => [f.node.label, f.data.kind, f.message.split('. ')[0]]);
    expect(kinds).toEqual([
      ['HashAggregate', 'hash-aggregate', 'HashAggregate spilled to disk (20.0 MB, 5 batches)'],
      ['Hash', 'hash', 'Hash split into 8 batches on disk because the hash table outgrew work_mem (3.8 MB in memory per batch)'],
      ['Incremental Sort', 'sort', 'Incremental Sort spilled to disk (1.2 MB)'],
      ['Materialize', 'storage', 'Materialize stored its rows on disk (8.8 MB)'],
    ]);
    expect(plan.nodes[4]).toMatchObject({ disabled: true, actual: { rows: 10.5, loops: 2 } });
  });

  it('does not report an overestimate below a semi join, and reports an underestimate once where it starts', () => {
    const scan = (rows: number, actual: number, extra: Record<string, unknown> = {}) => ({
      'Node Type': 'Seq Scan', 'Relation Name': 't', Alias: 't', 'Startup Cost': 0, 'Total Cost': 10, 'Plan Rows': rows, 'Plan Width': 4,
      'Actual Startup Time': 0, 'Actual Total Time': 1, 'Actual Rows': actual, 'Actual Loops': 1, ...extra,
    });
    const semi = parsed({
      Plan: {
        'Node Type': 'Nested Loop', 'Join Type': 'Semi', 'Startup Cost': 0, 'Total Cost': 20, 'Plan Rows': 5000, 'Plan Width': 4,
        'Actual Startup Time': 0, 'Actual Total Time': 1, 'Actual Rows': 5000, 'Actual Loops': 1,
        Plans: [scan(5000, 5000), scan(50000, 1)],
      },
    });
    expect(planFindings(semi).filter((f) => f.code === 'row-misestimate')).toEqual([]);
    const chain = parsed({
      Plan: {
        'Node Type': 'Hash Join', 'Join Type': 'Inner', 'Startup Cost': 0, 'Total Cost': 20, 'Plan Rows': 10, 'Plan Width': 4,
        'Actual Startup Time': 0, 'Actual Total Time': 1, 'Actual Rows': 9000, 'Actual Loops': 1,
        Plans: [scan(10, 9000), { ...scan(100, 100), 'Node Type': 'Hash', 'Relation Name': undefined }],
      },
    });
    const misses = planFindings(chain).filter((f) => f.code === 'row-misestimate');
    expect(misses.map((f) => f.node.label)).toEqual(['Seq Scan on t']);
    expect(misses[0].message).toMatch(/^Seq Scan on t returned 9,000 rows where the planner expected 10 \(900× more\)/);
  });

  it('rejects what is not EXPLAIN JSON with a clear message', () => {
    expect(parsePlan('not json')).toEqual({ ok: false, message: 'The plan is not valid JSON; run EXPLAIN with FORMAT JSON.' });
    expect(parsePlan([{ Query: 1 }])).toMatchObject({ ok: false, message: expect.stringMatching(/no "Plan" object/) });
    expect(parsePlan({ Plan: { 'Total Cost': 1 } })).toMatchObject({ ok: false, message: expect.stringMatching(/no "Node Type"/) });
    expect(parsePlan(JSON.stringify(PARALLEL_15)).ok).toBe(true);
    expect(parsePlan(null).ok).toBe(false);
  });
});
