/** Messages the plan page posts to the extension. Anything else is ignored. */
export type PlanMessage = { type: 'applyFix'; findingIndex: number } | { type: 'applySuggestion'; index: number };

/** Validates a message from the webview: the page's script is trusted less than the extension. */
export function parsePlanMessage(message: unknown, counts: { findings: number; suggestions: number }): PlanMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  const inRange = (value: unknown, count: number): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < count;
  if (record.type === 'applyFix' && inRange(record.findingIndex, counts.findings)) return { type: 'applyFix', findingIndex: record.findingIndex };
  if (record.type === 'applySuggestion' && inRange(record.index, counts.suggestions)) return { type: 'applySuggestion', index: record.index };
  return undefined;
}
