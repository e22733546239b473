import { afterEach, expect, it } from 'vitest';
import { planMigration } from '../../server/src/migrations/write';
import { createdPaths, NOW, ORDERS_INDEX, tempWorkspace, type TempWorkspace } from './workspace';

/** node-pg-migrate: a `<ms timestamp>_name.js` module that opts out of the migration transaction. */
let workspace: TempWorkspace | undefined;
afterEach(() => workspace?.remove());

it('writes a node-pg-migrate module with pgm.noTransaction() in its own naming, leaving existing files alone', async () => {
  workspace = tempWorkspace({
    'package.json': JSON.stringify({ devDependencies: { 'node-pg-migrate': '^7.0.0' }, scripts: { migrate: 'node-pg-migrate -m db/migrations' } }),
    'db/migrations/1700000000000_init.js': 'exports.up = (pgm) => {};\n',
  });
  const before = workspace.snapshot();
  const plan = await planMigration(workspace.root, { index: ORDERS_INDEX, now: NOW });
  workspace.apply(plan);
  expect(plan.tool).toBe('node-pg-migrate');
  expect(createdPaths(plan, workspace.root)).toEqual([`db/migrations/${NOW.getTime()}_add_orders_customer_id_created_at_index.js`]);
  const content = plan.files[0].content;
  expect(content).toContain("exports.up = (pgm) => {\n  pgm.noTransaction();\n  pgm.sql('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at DESC)');\n};");
  expect(content).toContain("pgm.sql('DROP INDEX CONCURRENTLY IF EXISTS orders_customer_id_created_at_idx');");
  for (const [path, text] of before) expect(workspace.snapshot().get(path)).toBe(text);
});

it('writes TypeScript when the existing migrations are TypeScript', async () => {
  workspace = tempWorkspace({
    'package.json': JSON.stringify({ dependencies: { 'node-pg-migrate': '^7.0.0' } }),
    'migrations/1700000000000_init.ts': 'export async function up() {}\n',
  });
  const plan = await planMigration(workspace.root, { index: ORDERS_INDEX, now: NOW });
  expect(createdPaths(plan, workspace.root)).toEqual([`migrations/${NOW.getTime()}_add_orders_customer_id_created_at_index.ts`]);
  expect(plan.files[0].content).toContain('export async function up(pgm: MigrationBuilder): Promise<void> {\n  pgm.noTransaction();');
});
