import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isRange } from './shapes';

/**
 * How the server keeps open documents (TextDocuments): as TextDocument does, but a didOpen or didChange
 * that is not one (a URI or text that is not a string, a change without text, a range that is not a
 * range) is refused whole — the notification fails and the document stays as it was. Kept, one such
 * document broke every later analysis: the server walks all open documents and expects their URIs and
 * texts to be strings.
 */
export const CHECKED_TEXT_DOCUMENTS: TextDocumentsConfiguration<TextDocument> = {
  create(uri: unknown, languageId: unknown, version: unknown, content: unknown): TextDocument {
    if (typeof uri !== 'string') throw new Error(`didOpen: the document's uri must be a string (got ${describe(uri)})`);
    if (typeof content !== 'string') throw new Error(`didOpen: the text of ${uri} must be a string (got ${describe(content)})`);
    if (!Number.isInteger(version)) throw new Error(`didOpen: the version of ${uri} must be a whole number (got ${describe(version)})`);
    return TextDocument.create(uri, typeof languageId === 'string' ? languageId : '', version as number, content);
  },
  update(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    if (!Number.isInteger(version)) throw new Error(`didChange: the version of ${document.uri} must be a whole number (got ${describe(version)})`);
    if (!Array.isArray(changes) || !changes.every(isChange)) throw new Error(`didChange: ${document.uri} got content changes that are not text changes (${describe(changes)})`);
    return TextDocument.update(document, changes, version);
  },
};

function isChange(change: unknown): boolean {
  if (typeof change !== 'object' || change === null) return false;
  const { text, range } = change as { text?: unknown; range?: unknown };
  return typeof text === 'string' && (range === undefined || isRange(range));
}


function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
