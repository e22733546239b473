import type { PlanHostMessage } from '../../../server/src/plan/view';

/** Messages from the plan page the extension acts on (see server/src/plan/view/protocol.ts). Anything else is ignored. */
export type PlanAction = { type: 'applyFix'; findingIndex: number } | { type: 'applySuggestion'; index: number };

/** Validates a message from the webview: the page's script is trusted less than the extension. */
export function parsePlanMessage(message: unknown, counts: { findings: number; suggestions: number }): PlanAction | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  const inRange = (value: unknown, count: number): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < count;
  if (record.type === 'applyFix' && inRange(record.findingIndex, counts.findings)) return { type: 'applyFix', findingIndex: record.findingIndex };
  if (record.type === 'applySuggestion' && inRange(record.index, counts.suggestions)) return { type: 'applySuggestion', index: record.index };
  return undefined;
}

/** How an apply went, for the page's button. */
export function actionResult(action: PlanAction, outcome: { ok: boolean; message?: string }): PlanHostMessage {
  const index = action.type === 'applyFix' ? action.findingIndex : action.index;
  return { type: 'actionResult', action: action.type, index, ok: outcome.ok, ...(outcome.message ? { message: outcome.message } : {}) };
}
