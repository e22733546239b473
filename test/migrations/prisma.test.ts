import { afterEach, describe, expect, it } from 'vitest';
import type { IndexDefinition } from '../../server/src/advisor/index-definition';
import { migrationFixes, planMigration } from '../../server/src/migrations/write';
import { createdPaths, NOW, ORDERS_INDEX, tempWorkspace, type TempWorkspace } from './workspace';

/** Prisma: `prisma/migrations/<timestamp>_<name>/migration.sql`, plus `@@index` offered apart. */
let workspace: TempWorkspace | undefined;
afterEach(() => workspace?.remove());

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id         BigInt   @id @default(autoincrement())
  customerId Int      @map("customer_id")
  status     String
  createdAt  DateTime @map("created_at")

  @@map("orders")
}
`;

function prismaWorkspace(): TempWorkspace {
  return tempWorkspace({
    'prisma/schema.prisma': SCHEMA,
    'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "orders" ("id" BIGSERIAL PRIMARY KEY);\n',
  });
}

describe('Prisma migrations', () => {
  it('writes migration.sql in a new timestamped folder with plain CREATE INDEX, and offers the @@index line', async () => {
    workspace = prismaWorkspace();
    const before = workspace.snapshot();
    const request = { index: ORDERS_INDEX, now: NOW };
    const plan = await planMigration(workspace.root, request);
    workspace.apply(plan);
    expect(plan.tool).toBe('prisma');
    expect(createdPaths(plan, workspace.root)).toEqual(['prisma/migrations/20250314092653_add_orders_customer_id_created_at_index/migration.sql']);
    const sql = plan.files[0].content;
    expect(sql).toMatch(/\nCREATE INDEX IF NOT EXISTS orders_customer_id_created_at_idx ON orders \(customer_id, created_at DESC\);\n$/);
    expect(sql).toContain('-- CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx');
    expect(plan.notes.join(' ')).toContain('cannot run in Prisma’s migration transaction');
    for (const [path, text] of before) expect(workspace.snapshot().get(path)).toBe(text);

    const fixes = migrationFixes(plan, request);
    expect(fixes.map((fix) => fix.title)).toEqual([
      'Add a Prisma migration creating orders_customer_id_created_at_idx',
      'Declare orders_customer_id_created_at_idx in schema.prisma (@@index)',
    ]);
    const [edit] = fixes[1].edits;
    expect(edit.range).toEqual({ start: { line: 12, character: 0 }, end: { line: 12, character: 0 } });
    expect(edit.newText).toBe('  @@index([customerId, createdAt(sort: Desc)], map: "orders_customer_id_created_at_idx")\n');
  });

  it('offers no @@index for what Prisma cannot express (a partial index)', async () => {
    workspace = prismaWorkspace();
    const partial: IndexDefinition = { ...ORDERS_INDEX, keys: [ORDERS_INDEX.keys[1]], where: "status = 'pending'", whereLabel: 'pending' };
    const plan = await planMigration(workspace.root, { index: partial, now: NOW });
    expect(plan.schemaEdit).toBeUndefined();
    expect(plan.files[0].content).toContain("CREATE INDEX IF NOT EXISTS orders_created_at_pending_idx ON orders (created_at DESC) WHERE status = 'pending';");
  });
});
