import {
  CreateFile,
  TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Fix } from '../finding';
import { uriOfFile, type DocumentIdentity } from './document-identity';

/** What the client can apply: versioned document changes, and file creation among them. */
export interface EditSupport {
  documentChanges: boolean;
  createFiles: boolean;
}

export interface EditTarget {
  document: DocumentIdentity;
  /** The version the fix was computed on; a client refuses the edit if the document moved on since. */
  version: number;
  /** The version of another open document, or null when it is not open. */
  versionOf(uri: string): number | null;
  /** Whether a file exists on disk: a fix that would create an existing file is not offered. */
  exists(file: string): boolean;
}

/**
 * A Fix as a WorkspaceEdit, or undefined when the client cannot apply it faithfully (it creates a file
 * and the client cannot create files, or the file to create exists: a fix never overwrites).
 */
export function fixToWorkspaceEdit(fix: Fix, target: EditTarget, support: EditSupport): WorkspaceEdit | undefined {
  const creates = fix.creates ?? [];
  if (creates.length > 0 && (!support.documentChanges || !support.createFiles)) return undefined;
  if (creates.some((creation) => target.exists(creation.file))) return undefined;

  const editsByUri = new Map<string, TextEdit[]>();
  for (const change of fix.edits) {
    const uri = uriOfFile(change.file, target.document);
    editsByUri.set(uri, [...(editsByUri.get(uri) ?? []), { range: change.range, newText: change.newText }]);
  }
  if (!support.documentChanges) return { changes: Object.fromEntries(editsByUri) };

  const start = { line: 0, character: 0 };
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const creation of creates) {
    const uri = uriOfFile(creation.file, target.document);
    documentChanges.push(CreateFile.create(uri, { ignoreIfExists: true, overwrite: false }));
    documentChanges.push(TextDocumentEdit.create({ uri, version: null }, [{ range: { start, end: start }, newText: creation.content }]));
  }
  for (const [uri, edits] of editsByUri) {
    const version = uri === target.document.uri ? target.version : target.versionOf(uri);
    documentChanges.push(TextDocumentEdit.create({ uri, version }, edits));
  }
  return { documentChanges };
}

/** Edits to one document, pinned to `version` when the client supports versioned changes. */
export function documentEdit(uri: string, version: number, edits: TextEdit[], support: EditSupport): WorkspaceEdit {
  if (!support.documentChanges) return { changes: { [uri]: edits } };
  return { documentChanges: [TextDocumentEdit.create({ uri, version }, edits)] };
}
