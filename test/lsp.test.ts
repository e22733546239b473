import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdits, LspClient, type Diagnostic } from './helpers/lsp-client';

/**
 * Protocol tests: the built server (dist/server.js) over stdio, spoken to in JSON-RPC as an editor would.
 */
const root = resolve(__dirname, '..');
const server = join(root, 'dist', 'server.js');
const workspace = join(root, 'test', 'fixtures', 'lsp-workspace');
const workspaceUri = pathToFileURL(workspace).href;
const uriOf = (name: string) => pathToFileURL(join(workspace, name)).href;

/** Tests assert on sql-syntax, the rule they control; other rules may report on the same text. */
const syntaxErrors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'sql-syntax');

const clients: LspClient[] = [];
function startServer(): LspClient {
  const client = new LspClient(server);
  clients.push(client);
  return client;
}

interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: {
    changes?: Record<string, { range: Diagnostic['range']; newText: string }[]>;
    documentChanges?: { textDocument: { uri: string; version: number | null }; edits: { range: Diagnostic['range']; newText: string }[] }[];
  };
}

interface Hover {
  contents: { kind: string; value: string };
  range?: Diagnostic['range'];
}

afterAll(() => {
  for (const client of clients) client.kill();
});

describe('language server over stdio', () => {
  let client: LspClient;

  beforeAll(async () => {
    client = startServer();
    const result = await client.initialize({
      rootUri: workspaceUri,
      // The static protocol, without plans: the fixture's migrations would otherwise start the sandbox,
      // whose plans are tested in lsp-plans.test.ts.
      initializationOptions: { debounceMs: 100, database: { embedded: false } },
      capabilities: {
        workspace: {
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
      },
    });
    expect(result.serverInfo?.name).toBe('pglens');
    expect(result.capabilities).toMatchObject({
      hoverProvider: true,
      textDocumentSync: { openClose: true, change: 1 },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    });
  });

  it('registers watchers for .sql and script files when the client allows dynamic registration', async () => {
    await expect.poll(() => client.serverRequests.find((r) => r.method === 'client/registerCapability')).toBeDefined();
    const registration = client.serverRequests.find((r) => r.method === 'client/registerCapability');
    expect(registration?.params).toMatchObject({
      registrations: [{ method: 'workspace/didChangeWatchedFiles', registerOptions: { watchers: [{ globPattern: '**/*.sql' }, { globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' }, { globPattern: '**/.env' }] } }],
    });
  });

  it('publishes a syntax error with its exact range on open, and clears it once fixed', async () => {
    const uri = uriOf('broken.sql');
    client.open(uri, 'SELECT id FROM users;\n  SELEC name FROM users;\n');
    const [diagnostic, ...rest] = syntaxErrors(await client.diagnostics(uri, 1));
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 7 } },
      severity: 1,
      code: 'sql-syntax',
      source: 'pglens',
    });
    expect(diagnostic.message).toMatch(/syntax error at or near "SELEC"/i);
    const docsPage = join(root, 'docs', 'rules', 'sql-syntax.md');
    expect(diagnostic.codeDescription?.href).toBe(existsSync(docsPage) ? pathToFileURL(docsPage).href : undefined);

    client.change(uri, 'SELECT id FROM users;\n  SELECT name FROM users;\n', 2);
    expect(syntaxErrors(await client.diagnostics(uri, 2))).toEqual([]);
  });

  it('publishes only the last of a burst of changes', async () => {
    const uri = uriOf('burst.sql');
    client.open(uri, 'SELECT 1;');
    expect(syntaxErrors(await client.diagnostics(uri, 1))).toEqual([]);
    for (let version = 2; version <= 9; version++) {
      // Every version but the last is broken at a different column.
      const text = version < 9 ? `SELECT ${'x'.repeat(version)} FROM;` : 'SELECT 1 FROM;\nSELEC 2;';
      client.change(uri, text, version);
    }
    const last = syntaxErrors(await client.diagnostics(uri, 9));
    expect(last.map((d) => d.range.start.line)).toEqual([0, 1]);
    // Give any stale run time to (wrongly) publish, then check nothing older came after version 9.
    await new Promise((r) => setTimeout(r, 400));
    const versions = client.published(uri).map((p) => p.version);
    expect(versions.at(-1)).toBe(9);
    expect(versions.filter((v) => v !== undefined && v > 1 && v < 9)).toEqual([]);
  });

  it('describes the query under the cursor on hover', async () => {
    const uri = uriOf('queries.sql');
    const text = readFileSync(join(workspace, 'queries.sql'), 'utf8');
    client.open(uri, text);
    await client.diagnostics(uri, 1);

    const select = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 5 } });
    expect(select.contents.kind).toBe('markdown');
    expect(select.contents.value).toContain('**SELECT**');
    expect(select.contents.value).toContain('Reads: `users`, `orders`');
    expect(select.contents.value).toContain('Parameters: 2');
    expect(select.contents.value).not.toContain('Writes');
    expect(select.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 3, character: 32 } });

    const insert = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 3 } });
    expect(insert.contents.value).toContain('**INSERT**');
    expect(insert.contents.value).toContain('Writes: `audit_log`');
    expect(insert.contents.value).toContain('Reads: `users`');
    expect(insert.contents.value).toContain('Parameters: none');

    const between = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 0 } });
    expect(between).toBeNull();
  });

  it('describes a query inside TypeScript, counting interpolations as parameters', async () => {
    const uri = uriOf('src/orders.ts');
    const text = [
      'export async function orders(pool: { query(sql: string): Promise<unknown> }, userId: number) {',
      '  return pool.query(`SELECT id FROM orders WHERE user_id = ${userId} LIMIT 10`);',
      '}',
    ].join('\n');
    client.open(uri, text, 1, 'typescript');
    await client.diagnostics(uri, 1);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 30 } });
    expect(hover.contents.value).toContain('**SELECT**');
    expect(hover.contents.value).toContain('Reads: `orders`');
    expect(hover.contents.value).toContain('Parameters: 1');
    expect(hover.range).toEqual({ start: { line: 1, character: 21 }, end: { line: 1, character: 77 } });
    const outside = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 5 } });
    expect(outside).toBeNull();
  });

  it('lists the findings on a query in its hover, on the version just typed', async () => {
    const uri = uriOf('hover-findings.sql');
    client.open(uri, 'SELECT 1;');
    await client.diagnostics(uri, 1);
    // Hover right after a change, before the debounce has run: the server analyses the new version.
    client.change(uri, 'SELECT 1;\nSELECT * FROM WHERE;', 2);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } });
    expect(hover.contents.value).toContain('**Invalid SQL**');
    expect(hover.contents.value).toMatch(/Error \[?`sql-syntax`\]?(\([^)]*\))?: Syntax error at or near "WHERE"/);
  });

  it('offers a suppression comment that silences the diagnostic once applied', async () => {
    const uri = uriOf('suppress.sql');
    const text = 'SELECT 1;\n\n    SELEC 2;\n';
    client.open(uri, text);
    const [diagnostic] = syntaxErrors(await client.diagnostics(uri, 1));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const suppress = actions.find((a) => a.title === 'Suppress sql-syntax on this line');
    expect(suppress?.kind).toBe('quickfix');
    expect(suppress?.diagnostics).toEqual([diagnostic]);
    const [change] = suppress?.edit?.documentChanges ?? [];
    expect(change.textDocument).toEqual({ uri, version: 1 });
    const fixed = applyEdits(text, change.edits);
    expect(fixed).toBe('SELECT 1;\n\n    -- pglens-ignore sql-syntax\n    SELEC 2;\n');

    client.change(uri, fixed, 2);
    expect(syntaxErrors(await client.diagnostics(uri, 2))).toEqual([]);
  });

  it('adds the code to a pglens-ignore comment already above the line', async () => {
    const uri = uriOf('suppress-more.sql');
    const text = '-- pglens-ignore select-star\nSELEC 2;\n';
    client.open(uri, text);
    const [diagnostic] = syntaxErrors(await client.diagnostics(uri, 1));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const suppress = actions.find((a) => a.title === 'Suppress sql-syntax on this line');
    const fixed = applyEdits(text, suppress?.edit?.documentChanges?.[0].edits ?? []);
    expect(fixed).toBe('-- pglens-ignore select-star, sql-syntax\nSELEC 2;\n');
    client.change(uri, fixed, 2);
    expect(syntaxErrors(await client.diagnostics(uri, 2))).toEqual([]);
  });

  it('suppresses in TypeScript above the line the query starts on, outside the string', async () => {
    const uri = uriOf('src/report.ts');
    const text = [
      'export async function report(pool: { query(sql: string): Promise<unknown> }) {',
      '  return pool.query(',
      '    `SELECT id',
      '     FROM users WHERE`,',
      '  );',
      '}',
      '',
    ].join('\n');
    client.open(uri, text, 1, 'typescript');
    const [diagnostic] = syntaxErrors(await client.diagnostics(uri, 1));
    expect(diagnostic.range.start.line).toBe(3);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const suppress = actions.find((a) => a.title === 'Suppress sql-syntax on this line');
    const fixed = applyEdits(text, suppress?.edit?.documentChanges?.[0].edits ?? []);
    expect(fixed.split('\n').slice(1, 4)).toEqual(['  return pool.query(', '    // pglens-ignore sql-syntax', '    `SELECT id']);
    client.change(uri, fixed, 2);
    expect(syntaxErrors(await client.diagnostics(uri, 2))).toEqual([]);
  });

  it("offers each finding's fixes as quick fixes pinned to the analysed version", async () => {
    const uri = uriOf('fixes.sql');
    const text = 'SELECT id FROM users;\nSELECT * FROM orders;\n';
    client.open(uri, text);
    const withFixes = (await client.diagnostics(uri, 1)).filter((d) => ((d.data as { fixes?: unknown[] }).fixes ?? []).length > 0);
    expect(withFixes.length).toBeGreaterThan(0);
    for (const diagnostic of withFixes) {
      const fixes = (diagnostic.data as { fixes: { title: string; preferred?: boolean }[] }).fixes;
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      });
      for (const fix of fixes) {
        const action = actions.find((a) => a.title === fix.title);
        expect(action?.isPreferred).toBe(fix.preferred === true);
        expect(action?.diagnostics).toEqual([diagnostic]);
        const [change] = action?.edit?.documentChanges ?? [];
        expect(change.textDocument).toEqual({ uri, version: 1 });
        expect(applyEdits(text, change.edits)).not.toBe(text);
      }
    }
    // A client asking only for refactorings gets no quick fixes.
    const refactors = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: withFixes[0].range,
      context: { diagnostics: withFixes, only: ['refactor'] },
    });
    expect(refactors).toEqual([]);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = uriOf('closing.sql');
    client.open(uri, 'SELEC 1;');
    expect(syntaxErrors(await client.diagnostics(uri, 1))).toHaveLength(1);
    client.close(uri);
    await client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => (p as { uri: string; version?: number; diagnostics: unknown[] }).uri === uri && (p as { version?: number }).version === undefined,
    );
    expect(client.published(uri).at(-1)?.diagnostics).toEqual([]);
  });

  it('survives bad requests and keeps answering', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: uriOf('never-opened.sql') }, position: { line: 0, character: 0 } });
    expect(hover).toBeNull();
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: uriOf('broken.sql') },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'pglens', code: 'sql-syntax', data: { version: 'nope' } }] },
    });
    expect(actions).toEqual([]);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('migrations/001_users.sql'), type: 2 }] });
    await expect(client.request('workspace/executeCommand', { command: 'pglens.server.reanalyze', arguments: [] })).resolves.toBeNull();
    expect(client.alive).toBe(true);
  });

  it('answers on a 50,000-line document within budget', async () => {
    const uri = uriOf('huge.sql');
    const lines = Array.from({ length: 50_000 }, (_, i) => `SELECT id, email FROM users WHERE id = ${i} LIMIT 1;`);
    lines[49_999] = 'SELEC broken;';
    const started = performance.now();
    client.open(uri, lines.join('\n'));
    const diagnostics = await client.diagnostics(uri, 1, 60_000);
    const analysed = performance.now() - started;
    expect(syntaxErrors(diagnostics).map((d) => d.range.start.line)).toEqual([49_999]);
    expect(analysed).toBeLessThan(30_000);

    const hoverStarted = performance.now();
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 25_000, character: 3 } });
    expect(performance.now() - hoverStarted).toBeLessThan(1_000);
    expect(hover.contents.value).toContain('**SELECT**');
    expect(hover.range?.start.line).toBe(25_000);
    console.info(`50,000-line document: diagnostics after ${Math.round(analysed)} ms, hover in ${Math.round(performance.now() - hoverStarted)} ms`);
  }, 90_000);

  it('is still alive, then shuts down and exits cleanly', async () => {
    expect(client.alive).toBe(true);
    expect(client.stderr).not.toMatch(/uncaught|unhandled/i);
    expect(await client.shutdown()).toBe(0);
  });
});

describe('transports', () => {
  it('speaks over node IPC, as the VS Code client starts it', async () => {
    const child = fork(server, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const messages: { id?: number; method?: string; result?: unknown }[] = [];
    child.on('message', (message) => messages.push(message as (typeof messages)[number]));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
      await expect.poll(() => messages.find((m) => m.id === 1), { timeout: 10_000 }).toBeDefined();
      expect(messages.find((m) => m.id === 1)?.result).toMatchObject({ serverInfo: { name: 'pglens' }, capabilities: { hoverProvider: true } });
      child.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      child.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'untitled:Untitled-1', languageId: 'sql', version: 1, text: 'SELEC 1' } } });
      // An untitled buffer is analysed by its language id.
      await expect.poll(() => messages.find((m) => m.method === 'textDocument/publishDiagnostics'), { timeout: 10_000 }).toMatchObject({
        params: { uri: 'untitled:Untitled-1', version: 1, diagnostics: [{ code: 'sql-syntax' }] },
      });
      child.send({ jsonrpc: '2.0', id: 2, method: 'shutdown', params: null });
      await expect.poll(() => messages.find((m) => m.id === 2)).toBeDefined();
      child.send({ jsonrpc: '2.0', method: 'exit', params: null });
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });

  it('explains how to start it when no transport is given', () => {
    let failure: { status?: number; stderr?: Buffer } = {};
    try {
      execFileSync(process.execPath, [server], { stdio: 'pipe' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stderr?.toString()).toContain('--stdio or --node-ipc');
  });
});

describe('workspace schema', () => {
  const missingLimit = (diagnostics: Diagnostic[] | undefined) => (diagnostics ?? []).filter((d) => d.code === 'missing-limit');

  it('reloads when a migration changes on disk or in an editor, and re-analyses open documents', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pglens-lsp-'));
    const migration = join(folder, '001_users.sql');
    writeFileSync(migration, 'CREATE TABLE users (id bigint, email text NOT NULL);\n');
    const client = startServer();
    await client.initialize({ rootUri: pathToFileURL(folder).href, initializationOptions: { debounceMs: 50 } });

    // Without a key on users.id, a lookup by id may return many rows: missing-limit reports it.
    const uri = pathToFileURL(join(folder, 'lookup.sql')).href;
    client.open(uri, 'SELECT email FROM users WHERE id = $1;');
    expect(missingLimit(await client.diagnostics(uri, 1))).toHaveLength(1);

    // The migration gains a primary key on disk: one row at most, no finding.
    writeFileSync(migration, 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(migration).href, type: 2 }] });
    await expect.poll(() => missingLimit(client.published(uri).at(-1)?.diagnostics), { timeout: 10_000 }).toHaveLength(0);

    // Unsaved text in an editor wins over the disk; closing the editor goes back to the disk.
    const migrationUri = pathToFileURL(migration).href;
    client.open(migrationUri, readFileSync(migration, 'utf8'));
    client.change(migrationUri, 'CREATE TABLE users (id bigint, email text NOT NULL);\n', 2);
    await expect.poll(() => missingLimit(client.published(uri).at(-1)?.diagnostics), { timeout: 10_000 }).toHaveLength(1);
    client.close(migrationUri);
    await expect.poll(() => missingLimit(client.published(uri).at(-1)?.diagnostics), { timeout: 10_000 }).toHaveLength(0);
    expect(client.published(uri).every((p) => p.version === 1)).toBe(true);
    expect(await client.shutdown()).toBe(0);
  });
});

describe('settings', () => {
  it('reads initializationOptions, then follows didChangeConfiguration', async () => {
    const client = startServer();
    await client.initialize({ rootUri: workspaceUri, initializationOptions: { rules: { 'sql-syntax': 'off' } } });
    const uri = uriOf('settings.sql');
    client.open(uri, 'SELEC 1;');
    expect(syntaxErrors(await client.diagnostics(uri, 1))).toEqual([]);

    const before = client.published(uri).length;
    client.notify('workspace/didChangeConfiguration', { settings: { pglens: { rules: { 'sql-syntax': 'warning' } } } });
    await expect.poll(() => client.published(uri).length).toBeGreaterThan(before);
    expect(syntaxErrors(client.published(uri).at(-1)?.diagnostics ?? []).map((d) => d.severity)).toEqual([2]);
    expect(await client.shutdown()).toBe(0);
  });

  it('pulls the pglens section with workspace/configuration when the client supports it', async () => {
    const client = startServer();
    client.onRequest('workspace/configuration', (params) => {
      expect(params).toEqual({ items: [{ section: 'pglens' }] });
      return [{ rules: { 'sql-syntax': 'hint' } }];
    });
    await client.initialize({
      rootUri: workspaceUri,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    });
    await expect.poll(() => client.serverRequests.some((r) => r.method === 'workspace/configuration')).toBe(true);
    const uri = uriOf('pulled.sql');
    client.open(uri, 'SELEC 1;');
    await expect.poll(() => syntaxErrors(client.published(uri).at(-1)?.diagnostics ?? [])[0]?.severity).toBe(4);
    expect(client.serverRequests.find((r) => r.method === 'client/registerCapability')?.params).toMatchObject({
      registrations: [{ method: 'workspace/didChangeConfiguration' }],
    });
    expect(await client.shutdown()).toBe(0);
  });

  it('warns once, naming each invalid setting, and uses the defaults', async () => {
    const client = startServer();
    await client.initialize({
      rootUri: workspaceUri,
      initializationOptions: { debounceMs: -5, rules: { 'sql-syntax': 'loud' } },
    });
    const message = (await client.waitFor('window/showMessage')) as { type: number; message: string };
    expect(message.type).toBe(2);
    expect(message.message).toContain('pglens.debounceMs');
    expect(message.message).toContain('pglens.rules.sql-syntax');
    const uri = uriOf('defaults.sql');
    client.open(uri, 'SELEC 1;');
    const [diagnostic] = syntaxErrors(await client.diagnostics(uri, 1));
    expect(diagnostic.severity).toBe(1); // the rule's default severity, not "loud"
    client.notify('workspace/didChangeConfiguration', { settings: { pglens: { debounceMs: -5, rules: { 'sql-syntax': 'loud' } } } });
    await client.request('workspace/executeCommand', { command: 'pglens.server.reanalyze', arguments: [] });
    expect(client.notifications.filter((n) => n.method === 'window/showMessage')).toHaveLength(1);
    expect(await client.shutdown()).toBe(0);
  });

  it('tells the user once when a document is too large to analyse', async () => {
    const client = startServer();
    await client.initialize({ rootUri: workspaceUri, initializationOptions: { maxFileBytes: 100, debounceMs: 0 } });
    const uri = uriOf('large.sql');
    client.open(uri, `SELEC ${'x'.repeat(200)};`);
    expect(await client.diagnostics(uri, 1)).toEqual([]);
    client.change(uri, `SELEC ${'y'.repeat(200)};`, 2);
    expect(await client.diagnostics(uri, 2)).toEqual([]);
    const notices = client.notifications.filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { message: string }).message);
    expect(notices).toEqual(['pglens did not analyse large.sql: the file is larger than pglens.maxFileBytes (100 bytes).']);
    expect(await client.shutdown()).toBe(0);
  });
});
