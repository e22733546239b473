import { Uri, window } from 'vscode';
import { LANGUAGES } from '../languages';

/** A query's place: where the cursor is, or what a hover's command link names. */
export interface QueryTarget {
  uri: Uri;
  /** As the protocol wants them. */
  params: { uri: string; position: { line: number; character: number } };
}

/**
 * The query a command is about: `[uri, position]` when a hover's command link passes them, else the
 * cursor in the active editor; undefined (after telling the user why) when there is none.
 */
export function queryTarget(args: readonly unknown[] = []): QueryTarget | undefined {
  const [uri, position] = args;
  if (typeof uri === 'string' && isPosition(position)) {
    return { uri: Uri.parse(uri), params: { uri, position: { line: position.line, character: position.character } } };
  }
  const editor = window.activeTextEditor;
  const languages: readonly string[] = LANGUAGES;
  if (!editor || !languages.includes(editor.document.languageId)) {
    void window.showInformationMessage('pglens: put the cursor on a query in a SQL, TypeScript or JavaScript file first.');
    return undefined;
  }
  const { uri: documentUri } = editor.document;
  const { line, character } = editor.selection.active;
  return { uri: documentUri, params: { uri: documentUri.toString(), position: { line, character } } };
}

export function isPosition(value: unknown): value is { line: number; character: number } {
  const p = value as { line?: unknown; character?: unknown } | null;
  return typeof p === 'object' && p !== null && Number.isInteger(p.line) && Number.isInteger(p.character);
}
