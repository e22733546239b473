import type { IndexSuggestionSummary } from '../../../server/src/protocol';

/**
 * Verified index suggestions as a SQL script to read and copy into a migration: each CREATE INDEX with
 * the planner's cost before and after it. Pure, so the layout is unit-tested.
 */
export function suggestionsSql(suggestions: readonly IndexSuggestionSummary[], database: string | undefined): string {
  const lines = [
    `-- pglens: ${suggestions.length} index suggestion${suggestions.length === 1 ? '' : 's'}${database ? ` verified on ${database}` : ''}.`,
    '-- Each one lowered the planner cost of the queries that use it; copy the ones you want into a migration.',
  ];
  for (const suggestion of suggestions) {
    lines.push('', `-- ${suggestion.table} (${suggestion.kind}): cost ${costChange(suggestion.costBefore, suggestion.costAfter)}, about ${formatBytes(suggestion.sizeBytes)}`);
    lines.push(suggestion.ddl.trim().replace(/;?$/, ';'));
  }
  return `${lines.join('\n')}\n`;
}

function costChange(before: number, after: number): string {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  const gain = before > 0 && after > 0 ? ` (${before / after >= 10 ? Math.round(before / after) : (before / after).toFixed(1)}× lower)` : '';
  return `${fmt(before)} → ${fmt(after)}${gain}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
