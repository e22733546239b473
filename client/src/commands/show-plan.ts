import { ProgressLocation, window } from 'vscode';
import { PLAN_REQUEST, type PlanRequestParams, type PlanResponse } from '../../../server/src/protocol';
import type { LanguageServer } from '../language-server';
import { showPlanView } from '../plan/plan-view';
import { describeServerError } from '../server-errors';
import { queryTarget } from './cursor';

/**
 * "Show Plan": the plan of the query (`pglens/plan`) in the plan webview. The query is the one at the
 * cursor, or the one a hover's "Show Plan" link names with `[uri, position]`.
 */
export async function showPlan(server: LanguageServer, args: readonly unknown[] = []): Promise<void> {
  const target = queryTarget(args);
  if (!target) return;
  const params: PlanRequestParams = { ...target.params, analyze: false };
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
    void window.showInformationMessage('pglens: there is no query there to plan.');
    return;
  }
  showPlanView(response, target.uri);
}
