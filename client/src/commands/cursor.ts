import { window, type Position, type Uri } from 'vscode';
import { LANGUAGES } from '../languages';

export interface Cursor {
  uri: Uri;
  position: Position;
  /** As the protocol wants them. */
  params: { uri: string; position: { line: number; character: number } };
}

/** The query position in the active editor, or undefined after telling the user why there is none. */
export function cursorInSqlEditor(): Cursor | undefined {
  const editor = window.activeTextEditor;
  const languages: readonly string[] = LANGUAGES;
  if (!editor || !languages.includes(editor.document.languageId)) {
    void window.showInformationMessage('pglens: put the cursor on a query in a SQL, TypeScript or JavaScript file first.');
    return undefined;
  }
  const { uri } = editor.document;
  const position = editor.selection.active;
  return { uri, position, params: { uri: uri.toString(), position: { line: position.line, character: position.character } } };
}
