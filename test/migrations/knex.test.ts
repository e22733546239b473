import { afterEach, expect, it } from 'vitest';
import { planMigration } from '../../server/src/migrations/write';
import { createdPaths, NOW, ORDERS_INDEX, tempWorkspace, type TempWorkspace } from './workspace';

/** knex: a `YYYYMMDDHHMMSS_name.js` module in the knexfile's folder, outside knex's transaction. */
let workspace: TempWorkspace | undefined;
afterEach(() => workspace?.remove());

it('writes a knex migration with config.transaction false in the knexfile directory', async () => {
  workspace = tempWorkspace({
    'knexfile.js': "module.exports = { client: 'pg', migrations: { directory: './db/knex' } };\n",
    'db/knex/20240102030405_init.js': 'exports.up = (knex) => knex.schema.createTable("orders", () => {});\n',
  });
  const before = workspace.snapshot();
  const plan = await planMigration(workspace.root, { index: ORDERS_INDEX, comment: ['Verified with hypopg.'], now: NOW });
  workspace.apply(plan);
  expect(plan.tool).toBe('knex');
  expect(createdPaths(plan, workspace.root)).toEqual(['db/knex/20250314092653_add_orders_customer_id_created_at_index.js']);
  expect(plan.files[0].content).toBe(
    [
      '// Verified with hypopg.',
      '// CREATE INDEX CONCURRENTLY cannot run inside a transaction, so knex must not open one.',
      'exports.config = { transaction: false };',
      '',
      "exports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at DESC)');",
      '',
      "exports.down = (knex) => knex.raw('DROP INDEX CONCURRENTLY IF EXISTS orders_customer_id_created_at_idx');",
      '',
    ].join('\n'),
  );
  for (const [path, text] of before) expect(workspace.snapshot().get(path)).toBe(text);
});
