import { describe, expect, it } from 'vitest';
import { planFindings } from '../../server/src/plan/findings/registry';
import { renderPlanMarkdown } from '../../server/src/plan/markdown';
import { parsePlan } from '../../server/src/plan/parse';
import type { Plan } from '../../server/src/plan/model';

function parsed(json: unknown): Plan {
  const outcome = parsePlan(json);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.plan;
}

// A join as PostgreSQL 15 plans it (EXPLAIN without ANALYZE), trimmed to the keys that matter.
const JOIN = {
  Plan: {
    'Node Type': 'Hash Join', 'Join Type': 'Inner', 'Startup Cost': 3185, 'Total Cost': 6192.43, 'Plan Rows': 37800, 'Plan Width': 64,
    'Hash Cond': '(o.user_id = u.id)',
    Plans: [
      {
        'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'orders', Alias: 'o',
        'Startup Cost': 0, 'Total Cost': 2908, 'Plan Rows': 37800, 'Plan Width': 40, Filter: "(status = 'paid'::text)",
      },
      {
        'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Startup Cost': 1935, 'Total Cost': 1935, 'Plan Rows': 100000, 'Plan Width': 28,
        Plans: [
          { 'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', 'Index Name': 'users_pkey', 'Relation Name': 'users', Alias: 'u', 'Startup Cost': 0.29, 'Total Cost': 8.31, 'Plan Rows': 1, 'Plan Width': 28, 'Index Cond': '(id = 42)' },
        ],
      },
    ],
  },
};

describe('renderPlanMarkdown', () => {
  it('shows the totals, the tree with conditions, the expensive nodes marked, and each finding with its fix', () => {
    const plan = parsed(JOIN);
    const findings = planFindings(plan, { seqScanMinRows: 1000 });
    const markdown = renderPlanMarkdown(plan, { findings, notes: ['Generic plan: parameters were planned without values.'], docsUrl: (code) => `https://pglens.dev/rules/${code}` });
    expect(markdown).toBe(
      [
        '**Query plan** · cost 6,192 · ~37,800 rows',
        '',
        '_Generic plan: parameters were planned without values._',
        '',
        '```text',
        'Hash Join  (cost 6,192 · rows 37,800)  ◀ 22% of cost',
        '│   Hash Cond: (o.user_id = u.id)',
        '├─ Seq Scan on orders o  (cost 2,908 · rows 37,800)  ◀ 47% of cost',
        "│      Filter: (status = 'paid'::text)",
        '└─ Hash  (cost 1,935 · rows 100,000)  ◀ 31% of cost',
        '   └─ Index Scan using users_pkey on users u  (cost 8.31 · rows 1)',
        '          Index Cond: (id = 42)',
        '```',
        '',
        "- ⚠️ [seq-scan](https://pglens.dev/rules/seq-scan) Sequential scan on orders reads \\~37,800 rows to keep those matching (status = 'paid'::text) (47% of the plan's cost). If the filter keeps few rows, an index on the filtered columns avoids the scan (pglens advise tries one and says whether it pays); otherwise narrow the WHERE clause.",
      ].join('\n'),
    );
  });

  it('shows estimated against actual rows and times with ANALYZE, and cuts long trees short', () => {
    const node = (n: number): Record<string, unknown> => ({
      'Node Type': n === 0 ? 'Seq Scan' : 'Nested Loop', 'Relation Name': n === 0 ? 't' : undefined, 'Startup Cost': 0, 'Total Cost': 10 * (n + 1), 'Plan Rows': 5, 'Plan Width': 4,
      'Actual Startup Time': 0.01, 'Actual Total Time': n + 1, 'Actual Rows': 7, 'Actual Loops': n === 0 ? 3 : 1,
      ...(n > 0 ? { Plans: [node(n - 1)] } : {}),
    });
    const plan = parsed({ Plan: node(40), 'Planning Time': 0.2, 'Execution Time': 41.5 });
    const markdown = renderPlanMarkdown(plan, { maxNodes: 3 });
    expect(markdown.split('\n')[0]).toBe('**Query plan (ANALYZE)** · cost 410 · ~5 rows · 41.5 ms · planning 0.20 ms');
    expect(markdown).toContain('Nested Loop  (cost 410 · rows 5 est → 7 · 41.0 ms)');
    expect(markdown).toContain('… 38 more nodes');
  });

  it('escapes Markdown in messages so identifiers like user_id stay as written', () => {
    const plan = parsed(JOIN);
    const markdown = renderPlanMarkdown(plan, { notes: ['$1 = a_b*c (sampled from t.user_id)'] });
    expect(markdown).toContain('_$1 = a\\_b\\*c (sampled from t.user\\_id)_');
  });
});
