import { afterEach, expect, it } from 'vitest';
import { planMigration } from '../../server/src/migrations/write';
import { createdPaths, NOW, ORDERS_INDEX, tempWorkspace, type TempWorkspace } from './workspace';

/** Supabase: `supabase/migrations/<YYYYMMDDHHMMSS>_name.sql`, the concurrent build alone in its file. */
let workspace: TempWorkspace | undefined;
afterEach(() => workspace?.remove());

it('writes a timestamped Supabase migration holding only the concurrent build', async () => {
  workspace = tempWorkspace({
    'supabase/config.toml': 'project_id = "shop"\n',
    'supabase/migrations/20240101000000_init.sql': 'create table orders (id bigint primary key);\n',
    'migrations/001_legacy.sql': 'SELECT 1;\n',
  });
  const before = workspace.snapshot();
  const plan = await planMigration(workspace.root, { index: ORDERS_INDEX, now: NOW });
  workspace.apply(plan);
  expect(plan.tool).toBe('supabase');
  expect(createdPaths(plan, workspace.root)).toEqual(['supabase/migrations/20250314092653_add_orders_customer_id_created_at_index.sql']);
  expect(plan.files[0].content).toMatch(/\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders \(customer_id, created_at DESC\);\n$/);
  expect(plan.notes.join(' ')).toContain('alone in its file');
  for (const [path, text] of before) expect(workspace.snapshot().get(path)).toBe(text);
});
