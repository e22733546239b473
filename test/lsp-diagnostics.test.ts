import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../server/src/finding';
import { toDiagnostic } from '../server/src/lsp/diagnostics';
import { identifyDocument, pathOfUri } from '../server/src/lsp/document-identity';

const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 10 } };
const document = identifyDocument(pathToFileURL(resolve('/work/app/queries.sql')).href, 'sql');

describe('Finding → Diagnostic', () => {
  it('maps severity, code, source, related locations and the data code actions need', () => {
    const finding: Finding = {
      file: document.file,
      range,
      severity: 'warning',
      code: 'query-in-loop',
      message: 'This query runs once per loop iteration.',
      data: { loop: 'for' },
      fixes: [{ title: 'Fetch all rows at once', edits: [{ file: document.file, range, newText: 'x' }], preferred: true }],
      related: [{ file: resolve('/work/app/loop.ts'), range, message: 'The loop' }],
    };
    const diagnostic = toDiagnostic(finding, document, 7, 1);
    expect(diagnostic).toMatchObject({
      range,
      severity: 2,
      code: 'query-in-loop',
      source: 'pglens',
      message: finding.message,
      data: { version: 7, suppressLine: 1, fixes: finding.fixes, finding: { loop: 'for' } },
      relatedInformation: [{ location: { uri: pathToFileURL(resolve('/work/app/loop.ts')).href, range }, message: 'The loop' }],
    });
    expect(toDiagnostic({ ...finding, severity: 'hint' }, document, 1, 0).severity).toBe(4);
    expect(toDiagnostic({ ...finding, severity: 'information' }, document, 1, 0).severity).toBe(3);
  });

  it("links the rule's docs page in the package when it exists, and nothing otherwise", () => {
    for (const code of ['sql-syntax', 'select-star', 'missing-limit', 'no-such-rule']) {
      const page = join(resolve(__dirname, '..'), 'docs', 'rules', `${code}.md`);
      const diagnostic = toDiagnostic({ file: document.file, range, severity: 'error', code, message: 'm' }, document, 1, 0);
      expect(diagnostic.codeDescription?.href).toBe(existsSync(page) ? pathToFileURL(page).href : undefined);
    }
  });
});

describe('document identity', () => {
  it('names untitled and unusually named documents by their language, so the right extractor reads them', () => {
    expect(identifyDocument('untitled:Untitled-1', 'sql')).toMatchObject({ file: 'Untitled-1.sql', kind: 'sql' });
    expect(identifyDocument('untitled:Untitled-2', 'typescriptreact').kind).toBe('script');
    expect(identifyDocument(pathToFileURL(resolve('/w/q.pgsql')).href, 'sql').kind).toBe('sql');
    expect(identifyDocument(pathToFileURL(resolve('/w/notes.txt')).href, 'plaintext').kind).toBeUndefined();
    expect(pathOfUri(pathToFileURL(resolve('/w/with space/é.sql')).href)).toBe(resolve('/w/with space/é.sql'));
  });
});
