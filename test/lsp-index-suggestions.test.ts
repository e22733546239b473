import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexSuggestionSummary, PlanResponse } from '../server/src/protocol';
import { createShopDatabase } from './advisor/shop-data';
import type { TestDatabase } from './db/test-database';
import { LspClient, type Diagnostic, type PublishDiagnostics } from './helpers/lsp-client';

/**
 * The index advisor in the built language server, against 1M skewed orders with hypopg: an
 * index-suggestion diagnostic on the table name with a new-migration quick fix, the hover section,
 * and pglens.server.suggestIndexes over the workspace.
 */
const root = resolve(__dirname, '..');
const server = join(root, 'dist', 'server.js');

const TS = [
  'export async function recentOrders(db: { query(sql: string, values: unknown[]): Promise<unknown> }, customerId: number) {',
  '  return db.query("SELECT id, total FROM orders WHERE customer_id = $1 AND created_at > now() - interval \'30 days\'", [customerId]);',
  '}',
  '',
].join('\n');

let db: TestDatabase;
let workspace: string;
let client: LspClient;
const uri = () => pathToFileURL(join(workspace, 'src', 'orders.ts')).href;

interface CodeAction {
  title: string;
  edit?: { documentChanges?: ({ kind: 'create'; uri: string } | { textDocument: { uri: string }; edits: { newText: string }[] })[] };
}

beforeAll(async () => {
  db = await createShopDatabase('CREATE EXTENSION hypopg;');
  workspace = mkdtempSync(join(tmpdir(), 'pglens-lsp-advisor-'));
  mkdirSync(join(workspace, 'src'));
  mkdirSync(join(workspace, 'migrations'));
  writeFileSync(join(workspace, 'migrations', '001_init.sql'), '-- the schema lives in the database\nSELECT 1;\n');
  writeFileSync(join(workspace, 'src', 'orders.ts'), TS);
  client = new LspClient(server);
  await client.initialize({ rootUri: pathToFileURL(workspace).href, initializationOptions: { debounceMs: 20, databaseUrl: db.url } });
}, 120_000);

afterAll(async () => {
  client?.kill();
  await db?.drop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

const suggestions = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'index-suggestion');

describe('index suggestions in the language server', () => {
  it('publishes an index-suggestion on the table name, after the static diagnostics', async () => {
    client.open(uri(), TS, 1, 'typescript');
    const published = (await client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => (p as PublishDiagnostics).uri === uri() && suggestions((p as PublishDiagnostics).diagnostics).length > 0,
      30_000,
    )) as PublishDiagnostics;
    const [suggestion] = suggestions(published.diagnostics);
    const column = TS.split('\n')[1].indexOf('orders WHERE');
    expect(suggestion.range).toEqual({ start: { line: 1, character: column }, end: { line: 1, character: column + 'orders'.length } });
    expect(suggestion.severity).toBe(3);
    expect(suggestion.message).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at)');
    expect((suggestion.data as { finding: unknown }).finding).toMatchObject({ ddl: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at)', kind: 'composite', verifiedBy: 'hypopg' });
  });

  it('offers a new migration in the workspace’s numbering as the quick fix', async () => {
    const diagnostics = client.published(uri()).at(-1)!.diagnostics;
    const [suggestion] = suggestions(diagnostics);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri() },
      range: suggestion.range,
      context: { diagnostics: [suggestion] },
    });
    const action = actions.find((a) => a.title === 'Add a SQL migration creating orders_customer_id_created_at_idx');
    expect(action).toBeDefined();
    const file = pathToFileURL(join(workspace, 'migrations', '002_add_orders_customer_id_created_at_index.sql')).href;
    const changes = action!.edit!.documentChanges!;
    expect(changes[0]).toMatchObject({ kind: 'create', uri: file });
    const inserted = changes[1] as { textDocument: { uri: string }; edits: { newText: string }[] };
    expect(inserted.textDocument.uri).toBe(file);
    expect(inserted.edits[0].newText).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at);\n');
  });

  it('shows the suggestion in the hover', async () => {
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 1, character: 30 } });
    expect(hover.contents.value).toContain('**Index suggestion**');
    expect(hover.contents.value).toContain('```sql\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at);\n```');
  });

  it('lists the suggestion on the plan page (pglens/plan), for the Apply button', async () => {
    const plan = await client.request<PlanResponse>('pglens/plan', { uri: uri(), position: { line: 1, character: 30 }, analyze: false }, 30_000);
    expect(plan.suggestions).toEqual([
      expect.objectContaining({ ddl: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at)', table: 'orders', kind: 'composite' }),
    ]);
    expect(plan.suggestions[0].costAfter).toBeLessThan(plan.suggestions[0].costBefore);
  });

  it('answers pglens.server.suggestIndexes for the workspace', async () => {
    const result = await client.request<IndexSuggestionSummary[]>('workspace/executeCommand', { command: 'pglens.server.suggestIndexes', arguments: [] }, 30_000);
    expect(result.map((s) => [s.ddl, s.kind])).toEqual([['CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at)', 'composite']]);
  });
});
