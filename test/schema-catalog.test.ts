import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspaceCatalog } from '../server/src/schema/workspace-catalog';
import { loadParser } from '../server/src/sql/parse';
import { loadWorkspaceCatalog } from '../server/src/workspace/schema';

beforeAll(loadParser);

const catalogOf = (...texts: string[]) => buildWorkspaceCatalog(texts.map((text, i) => ({ file: `${i + 1}.sql`, text })));

describe('workspace catalog: CREATE TABLE', () => {
  it('reads columns with canonical types, NOT NULL, primary and unique keys', () => {
    const catalog = catalogOf(`
      CREATE TABLE "Users" (
        id serial PRIMARY KEY,
        Email varchar(255) NOT NULL UNIQUE,
        score numeric(10, 2)[],
        seen timestamp(3) with time zone,
        flag bool,
        n int GENERATED ALWAYS AS IDENTITY,
        CONSTRAINT users_pair UNIQUE (email, score)
      );`);
    const users = catalog.lookup('Users');
    expect(catalog.lookup('users')).toBeUndefined(); // quoted names keep their case
    expect(users?.schema).toBe('public');
    expect(users?.columns).toEqual([
      { name: 'id', type: 'integer', notNull: true },
      { name: 'email', type: 'character varying(255)', notNull: true },
      { name: 'score', type: 'numeric(10,2)[]', notNull: false },
      { name: 'seen', type: 'timestamp(3) with time zone', notNull: false },
      { name: 'flag', type: 'boolean', notNull: false },
      { name: 'n', type: 'integer', notNull: true },
    ]);
    expect(users?.primaryKey).toEqual(['id']);
    expect(users?.uniqueKeys).toEqual([['id'], ['email'], ['email', 'score']]);
    expect(users?.indexes.map((index) => [index.name, index.columns, index.unique])).toEqual([
      ['Users_pkey', ['id'], true],
      ['Users_email_key', ['email'], true],
      ['users_pair', ['email', 'score'], true],
    ]);
  });

  it('takes a table-level primary key declared before its columns, and makes its columns NOT NULL', () => {
    const table = catalogOf('CREATE TABLE line (PRIMARY KEY (order_id, n), order_id bigint, n int, sku text);').lookup('line');
    expect(table?.primaryKey).toEqual(['order_id', 'n']);
    expect(table?.columns.map((c) => c.notNull)).toEqual([true, true, false]);
  });

  it('puts tables in their schema, honours SET search_path per file, and looks up public first', () => {
    const catalog = buildWorkspaceCatalog([
      { file: '1.sql', text: 'CREATE SCHEMA app; SET search_path TO app, public; CREATE TABLE accounts (id int);' },
      { file: '2.sql', text: 'CREATE TABLE accounts (id int, name text); CREATE TABLE billing.invoices (id int);' },
    ]);
    expect(catalog.lookup('accounts', 'app')?.columns.map((c) => c.name)).toEqual(['id']);
    expect(catalog.lookup('accounts')?.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(catalog.lookup('invoices')?.schema).toBe('billing');
    expect(catalog.lookup('invoices', 'public')).toBeUndefined();
  });

  it('copies columns for LIKE, INHERITS and PARTITION OF', () => {
    const catalog = catalogOf(`
      CREATE TABLE base (id bigint NOT NULL, at timestamptz);
      CREATE TABLE copy (LIKE base, extra text);
      CREATE TABLE child (note text) INHERITS (base);
      CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
      CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`);
    expect(catalog.lookup('copy')?.columns.map((c) => c.name)).toEqual(['id', 'at', 'extra']);
    expect(catalog.lookup('child')?.columns.map((c) => c.name)).toEqual(['id', 'at', 'note']);
    expect(catalog.lookup('events_2024')?.columns.map((c) => c.name)).toEqual(['id', 'at']);
  });

  it('keeps the first definition for CREATE TABLE IF NOT EXISTS', () => {
    const catalog = catalogOf('CREATE TABLE t (a int);', 'CREATE TABLE IF NOT EXISTS t (b int);');
    expect(catalog.lookup('t')?.columns.map((c) => c.name)).toEqual(['a']);
  });
});

describe('workspace catalog: CREATE INDEX', () => {
  it('reads columns, expressions, INCLUDE and the partial-index predicate as SQL text', () => {
    const table = catalogOf(`
      CREATE TABLE users (id int, email text, tenant int, deleted_at timestamptz, a int, b int);
      CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON ONLY users USING btree (lower( email ), tenant DESC NULLS LAST) INCLUDE (id) WHERE deleted_at IS NULL;
      CREATE INDEX ON users ((a + b), email COLLATE "C" text_pattern_ops);
      CREATE UNIQUE INDEX users_tenant_email ON users (tenant, email);`).lookup('users');
    expect(table?.indexes).toEqual([
      { name: 'users_email', columns: ['lower( email )', 'tenant'], unique: true, include: ['id'], predicate: 'deleted_at IS NULL' },
      { name: 'users_expr_email_idx', columns: ['a + b', 'email'], unique: false },
      { name: 'users_tenant_email', columns: ['tenant', 'email'], unique: true },
    ]);
    // Only a non-partial unique index on plain columns is a unique key.
    expect(table?.uniqueKeys).toEqual([['tenant', 'email']]);
  });

  it('drops and renames indexes', () => {
    const table = catalogOf(`
      CREATE TABLE t (a int, b int);
      CREATE INDEX t_a ON t (a);
      CREATE INDEX t_b ON t (b);
      DROP INDEX IF EXISTS t_a;
      ALTER INDEX t_b RENAME TO t_b_idx;`).lookup('t');
    expect(table?.indexes.map((index) => index.name)).toEqual(['t_b_idx']);
  });
});

describe('workspace catalog: ALTER, RENAME, DROP', () => {
  it('applies ALTER TABLE column and constraint changes in order', () => {
    const catalog = catalogOf(
      'CREATE TABLE accounts (id int, slug text, legacy text, tenant int);',
      `ALTER TABLE accounts
         ADD COLUMN name text NOT NULL,
         ADD COLUMN IF NOT EXISTS slug int,
         DROP COLUMN legacy,
         ALTER COLUMN tenant TYPE bigint,
         ALTER COLUMN slug SET NOT NULL,
         ADD PRIMARY KEY (id),
         ADD CONSTRAINT accounts_tenant_slug UNIQUE (tenant, slug);`,
      'ALTER TABLE accounts RENAME COLUMN slug TO handle; ALTER TABLE accounts RENAME TO tenants_accounts;',
    );
    expect(catalog.lookup('accounts')).toBeUndefined();
    const table = catalog.lookup('tenants_accounts');
    expect(table?.columns).toEqual([
      { name: 'id', type: 'integer', notNull: true },
      { name: 'handle', type: 'text', notNull: true },
      { name: 'tenant', type: 'bigint', notNull: false },
      { name: 'name', type: 'text', notNull: true },
    ]);
    expect(table?.primaryKey).toEqual(['id']);
    expect(table?.uniqueKeys).toEqual([['id'], ['tenant', 'handle']]);
  });

  it('drops constraints by name, and keys and indexes with a dropped column', () => {
    const table = catalogOf(`
      CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int);
      CREATE INDEX t_b ON t (b);
      ALTER TABLE t DROP CONSTRAINT t_pkey;
      ALTER TABLE t DROP COLUMN a, DROP COLUMN b;`).lookup('t');
    expect(table?.primaryKey).toBeUndefined();
    expect(table?.uniqueKeys).toEqual([]);
    expect(table?.indexes).toEqual([]);
  });

  it('turns a unique index into a primary key with ADD CONSTRAINT … USING INDEX', () => {
    const table = catalogOf(`
      CREATE TABLE t (id int NOT NULL);
      CREATE UNIQUE INDEX t_id ON t (id);
      ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_id;`).lookup('t');
    expect(table?.primaryKey).toEqual(['id']);
    expect(table?.indexes.map((index) => index.name)).toEqual(['t_pk']);
  });

  it('moves tables between schemas and drops them', () => {
    const catalog = catalogOf('CREATE TABLE a (id int); CREATE TABLE b (id int); ALTER TABLE a SET SCHEMA archive; DROP TABLE IF EXISTS b, missing CASCADE;');
    expect(catalog.lookup('a', 'archive')).toBeDefined();
    expect(catalog.lookup('a', 'public')).toBeUndefined();
    expect(catalog.lookup('b')).toBeUndefined();
  });

  it('reads views and CREATE TABLE AS with their output columns', () => {
    const catalog = catalogOf(`
      CREATE TABLE users (id int, email text, name text);
      CREATE VIEW contacts AS SELECT id, lower(email) AS email FROM users;
      CREATE MATERIALIZED VIEW everyone AS SELECT * FROM users;
      CREATE TABLE renamed (a, b) AS SELECT id, name FROM users;`);
    expect(catalog.lookup('contacts')?.columns.map((c) => c.name)).toEqual(['id', 'email']);
    expect(catalog.lookup('everyone')?.columns.map((c) => c.name)).toEqual(['id', 'email', 'name']);
    expect(catalog.lookup('renamed')?.columns.map((c) => c.name)).toEqual(['a', 'b']);
  });
});

describe('workspace catalog: bad input', () => {
  it('never throws, and keeps every statement that parses around a broken one', () => {
    const catalog = catalogOf(
      'CREATE TABLE good (id int PRIMARY KEY);\nCREATE TABLE broken (id int,, );\nCREATE TABLE also_good (id int);',
      'ALTER TABLE missing ADD COLUMN x int; DROP INDEX missing_idx; ALTER TABLE missing RENAME TO other; CREATE INDEX ON missing (x);',
      "CREATE TABLE 'unterminated",
      '\u0000\u0001binary',
      '',
    );
    expect([...catalog.tables()].map((t) => t.name)).toEqual(['good', 'also_good']);
    expect(catalog.source).toBe('workspace');
  });

  it('skips down migrations and down sections', () => {
    const catalog = buildWorkspaceCatalog([
      { file: 'migrations/001_users.up.sql', text: 'CREATE TABLE users (id int);' },
      { file: 'migrations/001_users.down.sql', text: 'DROP TABLE users;' },
      { file: 'db/20240101_posts.sql', text: '-- migrate:up\nCREATE TABLE posts (id int);\n-- migrate:down\nDROP TABLE posts;\n' },
      { file: 'db/20240102_tags.sql', text: '-- +goose Up\nCREATE TABLE tags (id int);\n-- +goose Down\nDROP TABLE tags;\n' },
    ]);
    expect([...catalog.tables()].map((t) => t.name).sort()).toEqual(['posts', 'tags', 'users']);
  });
});

describe('loadWorkspaceCatalog', () => {
  const root = mkdtempSync(join(tmpdir(), 'pglens-schema-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('applies a real folder of migrations in natural order, down migrations left out', async () => {
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('migrations/2_add_name.sql', 'ALTER TABLE users ADD COLUMN name text;');
    write('migrations/10_rename.sql', 'ALTER TABLE users RENAME COLUMN name TO full_name;');
    write('migrations/1_users.sql', 'CREATE TABLE users (id int PRIMARY KEY);');
    write('migrations/1_users.down.sql', 'DROP TABLE users;');
    write('prisma/migrations/20240102000000_b/migration.sql', 'ALTER TABLE "Post" ADD COLUMN "title" TEXT NOT NULL;');
    write('prisma/migrations/20231231000000_a/migration.sql', 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));');
    const catalog = await loadWorkspaceCatalog(root);
    expect(catalog.lookup('users')?.columns.map((c) => c.name)).toEqual(['id', 'full_name']);
    expect(catalog.lookup('Post')?.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id integer', 'title text']);
    expect(catalog.lookup('Post')?.indexes[0].name).toBe('Post_pkey');
  });
});
