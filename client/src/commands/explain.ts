import { commands, ProgressLocation, ViewColumn, window, workspace } from 'vscode';
import { SERVER_COMMANDS } from '../../../server/src/protocol';
import type { ExplainDocuments } from '../explain/explain-documents';
import type { LanguageServer } from '../language-server';
import { describeServerError } from '../server-errors';
import { cursorInSqlEditor } from './cursor';

/**
 * "Explain Query at Cursor" / "Explain Analyze Query at Cursor": the server plans the query and
 * answers with Markdown, shown as a read-only preview beside the editor.
 */
export async function explainQuery(server: LanguageServer, documents: ExplainDocuments, analyze: boolean): Promise<void> {
  const cursor = cursorInSqlEditor();
  if (!cursor) return;
  const action = analyze ? 'run EXPLAIN ANALYZE on the query' : 'explain the query';
  let markdown: unknown;
  try {
    markdown = await window.withProgress(
      { location: ProgressLocation.Window, title: analyze ? 'pglens: EXPLAIN ANALYZE…' : 'pglens: EXPLAIN…', cancellable: false },
      () => server.executeCommand<unknown>(SERVER_COMMANDS.explain, [cursor.params.uri, cursor.params.position, analyze]),
    );
  } catch (error) {
    const message = describeServerError(error, action);
    if (message) void window.showErrorMessage(message);
    return;
  }
  if (typeof markdown !== 'string' || !markdown.trim()) {
    void window.showInformationMessage('pglens: there is no query at the cursor to explain.');
    return;
  }
  const uri = documents.put(cursor.uri, cursor.position.line, analyze, markdown);
  try {
    await commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // The built-in Markdown preview is disabled: the Markdown text itself still reads well.
    await window.showTextDocument(await workspace.openTextDocument(uri), { viewColumn: ViewColumn.Beside, preview: true });
  }
}
