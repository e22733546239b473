import { afterEach, expect, it } from 'vitest';
import { planMigration } from '../../server/src/migrations/write';
import { createdPaths, NOW, ORDERS_INDEX, tempWorkspace, type TempWorkspace } from './workspace';

/** drizzle-kit: `drizzle/NNNN_name.sql` after the journal's entries, and the journal entry as a note. */
let workspace: TempWorkspace | undefined;
afterEach(() => workspace?.remove());

const JOURNAL = {
  version: '7',
  dialect: 'postgresql',
  entries: [
    { idx: 0, version: '7', when: 1700000000000, tag: '0000_brave_hulk', breakpoints: true },
    { idx: 1, version: '7', when: 1700000100000, tag: '0001_quiet_storm', breakpoints: true },
  ],
};

it('writes the next numbered drizzle migration with plain CREATE INDEX and the journal entry to add', async () => {
  workspace = tempWorkspace({
    'drizzle.config.ts': "export default { schema: './src/schema.ts', out: './db/drizzle', dialect: 'postgresql' };\n",
    'db/drizzle/0000_brave_hulk.sql': 'CREATE TABLE "orders" ("id" serial PRIMARY KEY);\n',
    'db/drizzle/0001_quiet_storm.sql': 'ALTER TABLE "orders" ADD COLUMN "customer_id" integer;\n',
    'db/drizzle/meta/_journal.json': JSON.stringify(JOURNAL, null, 2),
  });
  const before = workspace.snapshot();
  const plan = await planMigration(workspace.root, { index: ORDERS_INDEX, now: NOW });
  workspace.apply(plan);
  expect(plan.tool).toBe('drizzle');
  expect(createdPaths(plan, workspace.root)).toEqual(['db/drizzle/0002_add_orders_customer_id_created_at_index.sql']);
  expect(plan.files[0].content).toMatch(/\nCREATE INDEX IF NOT EXISTS orders_customer_id_created_at_idx ON orders \(customer_id, created_at DESC\);\n$/);
  expect(plan.notes[0]).toContain(
    JSON.stringify({ idx: 2, version: '7', when: NOW.getTime(), tag: '0002_add_orders_customer_id_created_at_index', breakpoints: true }),
  );
  // The journal is drizzle-kit's: untouched, like every other existing file.
  for (const [path, text] of before) expect(workspace.snapshot().get(path)).toBe(text);
});
