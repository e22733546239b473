import { formatBytes, formatCost, formatReduction } from '../../advisor/format';
import type { MergedSuggestion } from '../../advisor/merge';
import type { IndexSuggestion, UnverifiedCandidate } from '../../advisor/suggestion';
import type { Palette } from './color';
import { JSON_FORMAT_VERSION } from './json';

/**
 * `pglens advise` output. JSON: `{"version":1,"suggestions":[{ddl, table, kind, costBefore, costAfter,
 * sizeBytes}]}` (workspace suggestions add `benefit` and `queries`), plus `unverified` when a candidate
 * could not be tried. Text: one block per index, best first.
 */
export const ADVICE_FORMATS = ['text', 'json'] as const;
export type AdviceFormat = (typeof ADVICE_FORMATS)[number];

export interface AdviceReport {
  suggestions: (IndexSuggestion | MergedSuggestion)[];
  unverified: (UnverifiedCandidate & { query?: { file: string; line: number } })[];
}

export function formatAdviceJson(report: AdviceReport): string {
  const suggestions = report.suggestions.map((s) => ({
    ddl: s.ddl,
    table: s.table,
    kind: s.kind,
    costBefore: s.costBefore,
    costAfter: s.costAfter,
    sizeBytes: s.sizeBytes,
    ...('benefit' in s ? { benefit: s.benefit, queries: s.queries.map((q) => ({ file: q.file, line: q.line + 1 })) } : {}),
  }));
  const unverified = report.unverified.map((u) => ({ ddl: u.ddl, table: u.table, reason: u.reason, ...(u.query ? { file: u.query.file, line: u.query.line + 1 } : {}) }));
  return `${JSON.stringify({ version: JSON_FORMAT_VERSION, suggestions, ...(unverified.length ? { unverified } : {}) })}\n`;
}

export function formatAdviceText(report: AdviceReport, colors: Palette): string {
  const out: string[] = [];
  if (report.suggestions.length === 0) {
    out.push(report.unverified.length ? 'No index could be verified for this.' : 'No index would make a worthwhile difference: the existing indexes serve it, or the filters keep too many rows.');
  }
  for (const s of report.suggestions) {
    out.push(colors.bold(`${s.ddl};`));
    const where = 'queries' in s ? ` · serves ${s.queries.length} ${s.queries.length === 1 ? 'query' : 'queries'}` : '';
    out.push(
      colors.dim(`  ${s.kind} index on ${s.table} · cost ${formatCost(s.costBefore)} → ${formatCost(s.costAfter)} (${formatReduction(s.costBefore, s.costAfter)}) · about ${formatBytes(s.sizeBytes)} · verified with ${s.verifiedBy === 'hypopg' ? 'hypopg' : 'a rolled-back build'}${where}`),
    );
    if ('queries' in s) for (const q of s.queries) out.push(colors.dim(`    ${q.file}:${q.line + 1}`));
  }
  for (const u of report.unverified) {
    out.push(`${colors.yellow('could not verify')} ${u.ddl}${u.query ? ` (${u.query.file}:${u.query.line + 1})` : ''}: ${u.reason}.`);
  }
  return `${out.join('\n')}\n`;
}
