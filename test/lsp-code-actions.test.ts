import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeActionParams, Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import type { Fix } from '../server/src/finding';
import { codeActions, type CodeActionContext } from '../server/src/lsp/code-actions';
import type { DiagnosticData } from '../server/src/lsp/diagnostics';
import { identifyDocument } from '../server/src/lsp/document-identity';

/** Code actions from diagnostic data, as the server builds them, over real files in a temporary folder. */
const folder = mkdtempSync(join(tmpdir(), 'pglens-actions-'));
const file = join(folder, 'queries.sql');
const uri = pathToFileURL(file).href;
const text = 'SELECT id FROM orders WHERE user_id = $1;\n';
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } };

const migration = join(folder, 'migrations', '003_orders_user_id.sql');
const indexFix: Fix = {
  title: 'Create index on orders (user_id) in a new migration',
  preferred: true,
  edits: [{ file, range: { start: { line: 0, character: 41 }, end: { line: 0, character: 41 } }, newText: ' -- indexed' }],
  creates: [{ file: migration, content: 'CREATE INDEX orders_user_id_idx ON orders (user_id);\n' }],
};

function diagnostic(fixes: Fix[], version = 1): Diagnostic {
  const data: DiagnosticData = { version, suppressLine: 0, fixes };
  return { range, message: 'Sequential scan on orders.', source: 'pglens', code: 'seq-scan', data };
}

function actionsFor(diagnostics: Diagnostic[], overrides: Partial<CodeActionContext> = {}, documentVersion = 1) {
  const document = TextDocument.create(uri, 'sql', documentVersion, text);
  const params: CodeActionParams = { textDocument: { uri }, range, context: { diagnostics } };
  return codeActions(params, {
    document,
    identity: identifyDocument(uri, 'sql'),
    support: { documentChanges: true, createFiles: true },
    versionOf: () => null,
    exists: existsSync,
    ...overrides,
  });
}

describe('code actions', () => {
  it('turns a fix that creates a file into CreateFile (never overwriting) plus versioned edits', () => {
    const [fix, suppress] = actionsFor([diagnostic([indexFix])]);
    expect(fix.title).toBe(indexFix.title);
    expect(fix.isPreferred).toBe(true);
    const migrationUri = pathToFileURL(migration).href;
    expect(fix.edit?.documentChanges).toEqual([
      { kind: 'create', uri: migrationUri, options: { ignoreIfExists: true, overwrite: false } },
      { textDocument: { uri: migrationUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: indexFix.creates?.[0].content }] },
      { textDocument: { uri, version: 1 }, edits: [{ range: indexFix.edits[0].range, newText: ' -- indexed' }] },
    ]);
    expect(suppress.title).toBe('Suppress seq-scan on this line');
  });

  it('does not offer a fix whose file to create already exists, or that the client cannot apply', () => {
    const existing = join(folder, 'exists.sql');
    writeFileSync(existing, '-- mine\n');
    const clash: Fix = { ...indexFix, creates: [{ file: existing, content: 'x' }] };
    expect(actionsFor([diagnostic([clash])]).map((a) => a.title)).toEqual(['Suppress seq-scan on this line']);
    const noCreate = actionsFor([diagnostic([indexFix])], { support: { documentChanges: true, createFiles: false } });
    expect(noCreate.map((a) => a.title)).toEqual(['Suppress seq-scan on this line']);
  });

  it('falls back to plain changes for clients without versioned edits, and then only on the current version', () => {
    const plain: Fix = { title: 'Add LIMIT 100', edits: [{ file, range: { start: { line: 0, character: 40 }, end: { line: 0, character: 40 } }, newText: ' LIMIT 100' }] };
    const support = { documentChanges: false, createFiles: false };
    const [fix] = actionsFor([diagnostic([plain])], { support });
    expect(fix.edit).toEqual({ changes: { [uri]: [{ range: plain.edits[0].range, newText: ' LIMIT 100' }] } });
    expect(fix.isPreferred).toBe(false);
    expect(actionsFor([diagnostic([plain], 1)], { support }, 2)).toEqual([]);
  });

  it('offers one suppression per code and line, linked to every diagnostic it silences', () => {
    const first = diagnostic([]);
    const second = { ...diagnostic([]), range: { start: { line: 0, character: 7 }, end: { line: 0, character: 9 } } };
    const actions = actionsFor([first, second]);
    expect(actions).toHaveLength(1);
    expect(actions[0].diagnostics).toEqual([first, second]);
    expect(actions[0].edit?.documentChanges).toEqual([
      { textDocument: { uri, version: 1 }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '-- pglens-ignore seq-scan\n' }] },
    ]);
  });

  it('ignores diagnostics from other sources and malformed data', () => {
    const foreign = { ...diagnostic([indexFix]), source: 'eslint' };
    const malformed = { ...diagnostic([]), data: { version: 'one' } };
    expect(actionsFor([foreign, malformed])).toEqual([]);
  });

  it('refuses what a client could send back garbled — fixes, edits, file creations, the list itself — without throwing', () => {
    const garbled: unknown[] = [
      { title: 'no edits' },
      { title: 'edits not a list', edits: 5 },
      { title: 'an edit without a range', edits: [{ file, newText: 'x' }] },
      { title: 'creates not a list', edits: [], creates: 'file' },
      { title: 'a creation without content', edits: [], creates: [{ file: migration }] },
      null,
    ];
    for (const fix of garbled) expect(actionsFor([diagnostic([fix as Fix])]), JSON.stringify(fix)).toEqual([]);
    const document = TextDocument.create(uri, 'sql', 1, text);
    const context = { document, identity: identifyDocument(uri, 'sql'), support: { documentChanges: true, createFiles: true }, versionOf: () => null, exists: existsSync };
    for (const junk of [null, 'x', { diagnostics: 7 }, { diagnostics: [null, 3, 'x'] }, { only: 'quickfix', diagnostics: [] }]) {
      expect(codeActions({ textDocument: { uri }, range, context: junk } as unknown as CodeActionParams, context), JSON.stringify(junk)).toEqual([]);
    }
  });
});
