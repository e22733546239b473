/** The plan page: one standalone HTML document for a query plan (VS Code webview and `--format html`). */
export { renderPlanPage } from './page';
export type { IndexSuggestionView, PlanFindingView, PlanPageInput, PlanPageTheme } from './input';
export type { PlanHostMessage, PlanPageMessage, PlanPageState } from './protocol';
export { fromPostgres18, renderTextPlan, type TextPlanOptions } from './text-plan';
