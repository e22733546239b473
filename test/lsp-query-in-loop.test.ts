import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, type PublishDiagnostics } from './helpers/lsp-client';
import { ORDERS, USERS_CACHED, USERS_QUERYING } from './helpers/n-plus-one-files';

/**
 * query-in-loop through the real server: the workspace is indexed from disk, so an N+1 through a
 * function in another file is found with only the loop's file open, and editing that other file
 * updates the open file's diagnostics without reopening it.
 */
const ROOT = resolve(__dirname, '..');
const SERVER = join(ROOT, 'dist', 'server.js');


let workspace: string;
let client: LspClient;
const uriOf = (name: string) => pathToFileURL(join(workspace, name)).href;
const loopFindings = (params: unknown) =>
  (params as PublishDiagnostics).diagnostics.filter((diagnostic) => diagnostic.code === 'query-in-loop');

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pglens-lsp-loops-'));
  writeFileSync(join(workspace, 'users.ts'), USERS_QUERYING);
  writeFileSync(join(workspace, 'orders.ts'), ORDERS);
  client = new LspClient(SERVER);
  await client.initialize({
    rootUri: pathToFileURL(workspace).href,
    initializationOptions: { debounceMs: 50, database: { embedded: false } },
  });
}, 120_000);

afterAll(async () => {
  await client?.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

describe('query-in-loop in the language server', () => {
  it('finds the N+1 through a function in a file that is not open', async () => {
    client.open(uriOf('orders.ts'), ORDERS, 1, 'typescript');
    const published = await client.waitFor(
      'textDocument/publishDiagnostics',
      (params) => (params as PublishDiagnostics).uri === uriOf('orders.ts') && loopFindings(params).length > 0,
    );
    const [finding] = loopFindings(published);
    const line = ORDERS.split('\n')[finding.range.start.line];
    expect(line.slice(finding.range.start.character, finding.range.end.character)).toBe('loadUser');
    expect(finding.severity).toBe(2); // Warning
  });

  it('shows the batched shape in the hover on the call', async () => {
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: uriOf('orders.ts') },
      position: { line: 4, character: 24 },
    });
    expect(hover?.contents.value).toMatch(/N\+1 query/);
    expect(hover?.contents.value).toMatch(/once per iteration/);
  });

  it('drops the finding in orders.ts when users.ts stops querying, without reopening orders.ts', async () => {
    const before = client.published(uriOf('orders.ts')).length;
    client.open(uriOf('users.ts'), USERS_QUERYING, 1, 'typescript');
    client.change(uriOf('users.ts'), USERS_CACHED, 2);
    const published = await client.waitFor(
      'textDocument/publishDiagnostics',
      (params) =>
        (params as PublishDiagnostics).uri === uriOf('orders.ts') &&
        client.published(uriOf('orders.ts')).indexOf(params as PublishDiagnostics) >= before &&
        loopFindings(params).length === 0,
    );
    expect(loopFindings(published)).toEqual([]);
  });
});
