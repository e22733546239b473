import { commands, ProgressLocation, Uri, ViewColumn, window, workspace } from 'vscode';
import { SERVER_COMMANDS } from '../../../server/src/protocol';
import type { ExplainDocuments } from '../explain/explain-documents';
import type { LanguageServer } from '../language-server';
import { describeServerError } from '../server-errors';
import { isPosition, queryTarget } from './cursor';

/**
 * "Explain Query at Cursor" / "Explain Analyze Query at Cursor": the server plans the query and
 * answers with Markdown, shown as a read-only preview beside the editor.
 */
export async function explainQuery(server: LanguageServer, documents: ExplainDocuments, analyze: boolean): Promise<void> {
  const target = queryTarget();
  if (!target) return;
  let markdown: unknown;
  try {
    markdown = await window.withProgress(
      { location: ProgressLocation.Window, title: analyze ? 'pglens: EXPLAIN ANALYZE…' : 'pglens: EXPLAIN…', cancellable: false },
      () => server.executeCommand<unknown>(SERVER_COMMANDS.explain, [target.params.uri, target.params.position, analyze]),
    );
  } catch (error) {
    const message = describeServerError(error, analyze ? 'run EXPLAIN ANALYZE on the query' : 'explain the query');
    if (message) void window.showErrorMessage(message);
    return;
  }
  await showExplainResult(documents, target.uri, target.params.position.line, analyze, markdown);
}

/**
 * The hover's "Run EXPLAIN ANALYZE" link runs `pglens.server.explain` as a plain command, which would
 * drop the answer: this shows it, and says what went wrong when it fails.
 */
export async function explainFromLink(documents: ExplainDocuments, args: readonly unknown[], run: () => Promise<unknown>): Promise<unknown> {
  const [uri, position, analyze] = args;
  try {
    const markdown = await run();
    if (typeof uri === 'string' && isPosition(position)) await showExplainResult(documents, Uri.parse(uri), position.line, analyze === true, markdown);
    return markdown;
  } catch (error) {
    const message = describeServerError(error, analyze === true ? 'run EXPLAIN ANALYZE on the query' : 'explain the query');
    if (message) void window.showErrorMessage(message);
    return undefined;
  }
}

async function showExplainResult(documents: ExplainDocuments, source: Uri, line: number, analyze: boolean, markdown: unknown): Promise<void> {
  if (typeof markdown !== 'string' || !markdown.trim()) {
    void window.showInformationMessage('pglens: there is no query there to explain.');
    return;
  }
  const uri = documents.put(source, line, analyze, markdown);
  try {
    await commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // The built-in Markdown preview is disabled: the Markdown text itself still reads well.
    await window.showTextDocument(await workspace.openTextDocument(uri), { viewColumn: ViewColumn.Beside, preview: true });
  }
}
