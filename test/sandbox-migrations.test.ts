import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverMigrations, readMigrationSql } from '../server/src/db/sandbox/migrations';
import { compareNatural } from '../server/src/text/natural-order';
import { validateRowTargets } from '../server/src/db/sandbox/scale';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A temporary workspace holding `files` (path → content). */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pglens-migrations-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function discovered(files: Record<string, string>) {
  const found = await discoverMigrations(workspace(files));
  return { tool: found.tool, location: found.location, names: found.files.map((f) => f.name) };
}

const SQL = 'CREATE TABLE t (id int);';

describe('migration discovery', () => {
  it('prefers Prisma, ordering migration folders by name, over every other layout', async () => {
    expect(await discovered({
      'prisma/migrations/20240201000000_add_orders/migration.sql': SQL,
      'prisma/migrations/20240101000000_init/migration.sql': SQL,
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"',
      'supabase/migrations/20240101_a.sql': SQL,
      'migrations/001_a.sql': SQL,
      'schema.sql': SQL,
    })).toEqual({
      tool: 'prisma',
      location: 'prisma/migrations',
      names: ['prisma/migrations/20240101000000_init/migration.sql', 'prisma/migrations/20240201000000_add_orders/migration.sql'],
    });
  });

  it('reads Supabase migrations in timestamp order', async () => {
    expect(await discovered({
      'supabase/migrations/20240301120000_orders.sql': SQL,
      'supabase/migrations/20240101090000_users.sql': SQL,
      'supabase/config.toml': '',
      'migrations/001_a.sql': SQL,
    })).toEqual({
      tool: 'supabase',
      location: 'supabase/migrations',
      names: ['supabase/migrations/20240101090000_users.sql', 'supabase/migrations/20240301120000_orders.sql'],
    });
  });

  it('follows drizzle.config out folder and the journal order', async () => {
    const journal = { entries: [{ idx: 0, tag: '0000_zesty_users' }, { idx: 1, tag: '0001_ancient_orders' }] };
    expect(await discovered({
      'drizzle.config.ts': "export default defineConfig({ schema: './src/schema.ts', out: './db/drizzle', dialect: 'postgresql' });",
      'db/drizzle/0001_ancient_orders.sql': SQL,
      'db/drizzle/0000_zesty_users.sql': SQL,
      'db/drizzle/meta/_journal.json': JSON.stringify(journal),
      'migrations/001_a.sql': SQL,
    })).toEqual({ tool: 'drizzle', location: 'db/drizzle', names: ['db/drizzle/0000_zesty_users.sql', 'db/drizzle/0001_ancient_orders.sql'] });
  });

  it('finds drizzle/ without a config and sorts by name when there is no journal', async () => {
    expect((await discovered({ 'drizzle/0001_b.sql': SQL, 'drizzle/0000_a.sql': SQL })).names).toEqual(['drizzle/0000_a.sql', 'drizzle/0001_b.sql']);
  });

  it('orders a plain numbered folder naturally and skips down migrations', async () => {
    expect(await discovered({
      'migrations/10_add_index.sql': SQL,
      'migrations/2_orders.sql': SQL,
      'migrations/1_users.sql': SQL,
      'migrations/2_orders_down.sql': SQL,
      'migrations/notes.txt': 'not SQL',
    })).toEqual({ tool: 'sql', location: 'migrations', names: ['migrations/1_users.sql', 'migrations/2_orders.sql', 'migrations/10_add_index.sql'] });
  });

  it('takes only .up.sql files when up/down pairs exist', async () => {
    expect((await discovered({
      'db/migrations/000002_orders.up.sql': SQL,
      'db/migrations/000002_orders.down.sql': SQL,
      'db/migrations/000001_users.up.sql': SQL,
      'db/migrations/000001_users.down.sql': SQL,
    })).names).toEqual(['db/migrations/000001_users.up.sql', 'db/migrations/000002_orders.up.sql']);
  });

  it('orders timestamped files and folder-per-migration layouts (up.sql, never down.sql)', async () => {
    expect((await discovered({
      'sql/migrations/20240101120000_b.sql': SQL,
      'sql/migrations/20231231235959_a.sql': SQL,
    })).names).toEqual(['sql/migrations/20231231235959_a.sql', 'sql/migrations/20240101120000_b.sql']);
    expect((await discovered({
      'migrations/2024-02-01-000000_create_orders/up.sql': SQL,
      'migrations/2024-02-01-000000_create_orders/down.sql': SQL,
      'migrations/2024-01-01-000000_create_users/up.sql': SQL,
      'migrations/2024-01-01-000000_create_users/down.sql': SQL,
    })).names).toEqual(['migrations/2024-01-01-000000_create_users/up.sql', 'migrations/2024-02-01-000000_create_orders/up.sql']);
  });

  it('runs Flyway versioned migrations in version order, repeatable ones last, never undo ones', async () => {
    expect((await discovered({
      'db/migration/V10__c.sql': SQL,
      'db/migration/R__views.sql': SQL,
      'db/migration/V2__b.sql': SQL,
      'db/migration/V1__a.sql': SQL,
      'db/migration/U2__b.sql': SQL,
    })).names).toEqual(['db/migration/V1__a.sql', 'db/migration/V2__b.sql', 'db/migration/V10__c.sql', 'db/migration/R__views.sql']);
  });

  it('falls back to schema.sql, then db/schema.sql, and reports none for a workspace without schema', async () => {
    expect(await discovered({ 'schema.sql': SQL, 'db/schema.sql': SQL })).toEqual({ tool: 'schema', location: 'schema.sql', names: ['schema.sql'] });
    expect(await discovered({ 'db/schema.sql': SQL, 'src/app.ts': '' })).toEqual({ tool: 'schema', location: 'db/schema.sql', names: ['db/schema.sql'] });
    expect(await discovered({ 'src/app.ts': '', 'migrations/README.md': '' })).toEqual({ tool: 'none', location: undefined, names: [] });
  });

  it('cuts dbmate and goose files at their down section', async () => {
    const root = workspace({
      'db/migrations/20240101_users.sql': '-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n',
      'db/migrations/20240102_orders.sql': '-- +goose Up\nCREATE TABLE orders (id int);\n-- +goose Down\nDROP TABLE orders;\n',
    });
    const { files } = await discoverMigrations(root);
    const texts = await Promise.all(files.map(readMigrationSql));
    expect(texts).toEqual(['-- migrate:up\nCREATE TABLE users (id int);\n\n', '-- +goose Up\nCREATE TABLE orders (id int);\n']);
  });

  it('compares names naturally and without locale', () => {
    const names = ['10_c', '2_b', '1_a', '1_A', '002_x', 'V1_1__y', 'V1_10__z', 'V1_2__w'];
    expect([...names].sort(compareNatural)).toEqual(['1_A', '1_a', '2_b', '002_x', '10_c', 'V1_1__y', 'V1_2__w', 'V1_10__z']);
  });
});

describe('.pglens.json row counts', () => {
  it('keeps valid counts and explains invalid ones', () => {
    const { rows, problems } = validateRowTargets({ orders: 1000, users: -1, items: 'many', 'public.products': 0 });
    expect(rows).toEqual({ orders: 1000, 'public.products': 0 });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/"rows\.users" in \.pglens\.json must be a whole number from 0 to 20,000,000 \(got -1\)/),
      expect.stringMatching(/"rows\.items" .* \(got "many"\)/),
    ]);
  });
});
