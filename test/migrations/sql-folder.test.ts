import { afterEach, describe, expect, it } from 'vitest';
import { planMigration } from '../../server/src/migrations/write';
import { createdPaths, NOW, ORDERS_INDEX, tempWorkspace, type TempWorkspace } from './workspace';

/** Plain SQL migration folders: the new file continues the folder's own numbering and naming. */
let workspace: TempWorkspace | undefined;
afterEach(() => workspace?.remove());

async function planFor(files: Record<string, string>) {
  workspace = tempWorkspace(files);
  const before = workspace.snapshot();
  const plan = await planMigration(workspace.root, { index: ORDERS_INDEX, comment: ['For: recent orders of a customer'], now: NOW });
  workspace.apply(plan);
  // Nothing that existed was changed.
  const after = workspace.snapshot();
  for (const [path, content] of before) expect(after.get(path)).toBe(content);
  return { plan, paths: createdPaths(plan, workspace.root) };
}

describe('plain SQL migration folders', () => {
  it('continues a numbered folder with the same width and separator, one CONCURRENTLY statement per file', async () => {
    const { plan, paths } = await planFor({
      'migrations/001_create_users.sql': 'CREATE TABLE users (id int);\n',
      'migrations/002_create_orders.sql': 'CREATE TABLE orders (id int);\n',
    });
    expect(plan.tool).toBe('sql');
    expect(paths).toEqual(['migrations/003_add_orders_customer_id_created_at_index.sql']);
    const content = plan.files[0].content;
    expect(content).toContain('-- For: recent orders of a customer\n');
    expect(content).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at DESC);\n');
    expect(content.match(/;\n/g)).toHaveLength(1);
  });

  it('continues four-digit numbering with dashes', async () => {
    const { paths } = await planFor({ 'db/migrations/0009-init.sql': 'SELECT 1;\n', 'db/migrations/0010-more.sql': 'SELECT 1;\n' });
    expect(paths).toEqual(['db/migrations/0011-add-orders-customer-id-created-at-index.sql']);
  });

  it('continues a timestamped folder with a UTC timestamp of the same width', async () => {
    const { paths } = await planFor({ 'migrations/20240101120000_init.sql': 'SELECT 1;\n' });
    expect(paths).toEqual(['migrations/20250314092653_add_orders_customer_id_created_at_index.sql']);
  });

  it('never sorts a new timestamp before an existing file, even when the clock is behind', async () => {
    const { paths } = await planFor({ 'migrations/20990101000000_future.sql': 'SELECT 1;\n' });
    expect(paths).toEqual(['migrations/20990101000001_add_orders_customer_id_created_at_index.sql']);
  });

  it('writes dbmate files with transaction:false up and down sections', async () => {
    const { plan, paths } = await planFor({ 'db/migrations/20240101120000_init.sql': '-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\n' });
    expect(plan.tool).toBe('dbmate');
    expect(paths).toEqual(['db/migrations/20250314092653_add_orders_customer_id_created_at_index.sql']);
    expect(plan.files[0].content).toMatch(/-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY .*;\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS orders_customer_id_created_at_idx;\n$/);
  });

  it('writes golang-migrate up and down files', async () => {
    const { plan, paths } = await planFor({ 'migrations/000001_init.up.sql': 'SELECT 1;\n', 'migrations/000001_init.down.sql': 'SELECT 1;\n' });
    expect(plan.tool).toBe('golang-migrate');
    expect(paths).toEqual([
      'migrations/000002_add_orders_customer_id_created_at_index.up.sql',
      'migrations/000002_add_orders_customer_id_created_at_index.down.sql',
    ]);
    expect(plan.files[1].content).toBe('DROP INDEX CONCURRENTLY IF EXISTS orders_customer_id_created_at_idx;\n');
  });

  it('writes the next Flyway version', async () => {
    const { plan, paths } = await planFor({ 'src/main/resources/db/migration/x.txt': '', 'sql/V1__init.sql': 'SELECT 1;\n', 'sql/V7__more.sql': 'SELECT 1;\n' });
    expect(plan.tool).toBe('flyway');
    expect(paths).toEqual(['sql/V8__add_orders_customer_id_created_at_index.sql']);
  });

  it('starts a migrations folder when the workspace has none', async () => {
    const { plan, paths } = await planFor({ 'src/app.ts': 'export {};\n' });
    expect(plan.tool).toBe('sql');
    expect(paths).toEqual(['migrations/20250314092653_add_orders_customer_id_created_at_index.sql']);
  });
});
