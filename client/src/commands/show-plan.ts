import { ProgressLocation, window } from 'vscode';
import { PLAN_REQUEST, type PlanRequestParams, type PlanResponse } from '../../../server/src/protocol';
import type { LanguageServer } from '../language-server';
import { showPlanView } from '../plan/plan-view';
import { describeServerError } from '../server-errors';
import { cursorInSqlEditor } from './cursor';

/** "Show Plan": the plan of the query at the cursor (`pglens/plan`), in the plan webview. */
export async function showPlan(server: LanguageServer): Promise<void> {
  const cursor = cursorInSqlEditor();
  if (!cursor) return;
  const params: PlanRequestParams = { ...cursor.params, analyze: false };
  let response: PlanResponse | null;
  try {
    response = await window.withProgress({ location: ProgressLocation.Window, title: 'pglens: planning the query…' }, () =>
      server.request<PlanResponse | null>(PLAN_REQUEST, params),
    );
  } catch (error) {
    const message = describeServerError(error, 'show the plan');
    if (message) void window.showErrorMessage(message);
    return;
  }
  if (!response) {
    void window.showInformationMessage('pglens: there is no query at the cursor to plan.');
    return;
  }
  showPlanView(response, cursor.uri);
}
