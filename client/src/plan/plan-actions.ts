import { CodeAction, CodeActionKind, commands, Range, Uri, window, workspace, type Command } from 'vscode';
import type { Finding } from '../../../server/src/finding';
import type { IndexSuggestionSummary, PlanResponse } from '../../../server/src/protocol';
import { fixOf } from './plan-page-input';

export interface Outcome {
  ok: boolean;
  /** Why it did not work, for the page's button and a message. */
  message?: string;
}

/**
 * The plan view's buttons run the same quick fixes as the lightbulb: the code actions VS Code collects
 * from the server for the finding's range, so edits stay versioned and undoable.
 */
export async function applyFindingFix(finding: Finding, source: Uri): Promise<Outcome> {
  const fix = fixOf(finding);
  if (!fix) return { ok: false, message: `${finding.code} has no quick fix.` };
  const uri = finding.file === source.fsPath ? source : Uri.file(finding.file);
  const { start, end } = finding.range;
  const range = new Range(start.line, start.character, end.line, end.character);
  const actions =
    (await commands.executeCommand<(CodeAction | Command)[]>('vscode.executeCodeActionProvider', uri, range, CodeActionKind.QuickFix.value)) ?? [];
  const action = actions.find(
    (candidate): candidate is CodeAction =>
      candidate.title === fix.title && (!('diagnostics' in candidate) || !candidate.diagnostics || candidate.diagnostics.some((d) => codeOf(d.code) === finding.code)),
  );
  if (!action) return { ok: false, message: `“${fix.title}” is no longer offered there; the file may have changed since the plan was made. Show the plan again.` };
  if (action.edit && !(await workspace.applyEdit(action.edit))) {
    return { ok: false, message: `VS Code did not apply “${fix.title}”; the file changed meanwhile. Show the plan again.` };
  }
  if (action.command) await commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return { ok: true };
}

/**
 * An index suggestion applies through its `index-suggestion` finding's fix (a new migration) when the
 * plan carries one; otherwise the DDL opens in an unsaved SQL document to copy where it belongs.
 */
export async function applyIndexSuggestion(suggestion: IndexSuggestionSummary, response: PlanResponse, source: Uri): Promise<Outcome> {
  const finding = response.findings.find(
    (candidate) => candidate.code === 'index-suggestion' && candidate.fixes?.length && (candidate.data?.ddl === suggestion.ddl || candidate.message.includes(suggestion.ddl)),
  );
  if (finding) return applyFindingFix(finding, source);
  const content = `-- pglens: verified index for ${suggestion.table}; add it to a migration.\n${suggestion.ddl.trim().replace(/;?$/, ';')}\n`;
  await window.showTextDocument(await workspace.openTextDocument({ language: 'sql', content }), { preview: false });
  return { ok: true };
}

function codeOf(code: string | number | { value: string | number } | undefined): string | number | undefined {
  return typeof code === 'object' ? code.value : code;
}
