import { ProgressLocation, window, workspace } from 'vscode';
import { SERVER_COMMANDS, type IndexSuggestionSummary } from '../../../server/src/protocol';
import type { LanguageServer } from '../language-server';
import { describeServerError } from '../server-errors';
import { suggestionsSql } from './suggestions-sql';

/**
 * "Suggest Indexes for Workspace": the server's advisor runs over every query in the workspace (it
 * can take a while: each candidate is verified against the planner), with a cancellable progress
 * notification; the verified suggestions open as an unsaved SQL document.
 */
export async function suggestIndexes(server: LanguageServer): Promise<void> {
  let suggestions: IndexSuggestionSummary[] | null;
  try {
    suggestions = await window.withProgress(
      { location: ProgressLocation.Notification, title: 'pglens: finding and verifying indexes for the workspace’s queries…', cancellable: true },
      (_progress, token) => server.executeCommand<IndexSuggestionSummary[] | null>(SERVER_COMMANDS.suggestIndexes, [], token),
    );
  } catch (error) {
    const message = describeServerError(error, 'suggest indexes');
    if (message) void window.showErrorMessage(message);
    return;
  }
  if (!Array.isArray(suggestions) || suggestions.length === 0) {
    void window.showInformationMessage('pglens: no index would make the workspace’s queries measurably cheaper.');
    return;
  }
  const document = await workspace.openTextDocument({ language: 'sql', content: suggestionsSql(suggestions, server.status?.label) });
  await window.showTextDocument(document, { preview: false });
}
