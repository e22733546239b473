import type { AnalyzedStatement } from '../analyze';

/**
 * The statement whose span holds `offset` (its end included, so the cursor just after a query still
 * finds it). Statements come in document order, so this is a binary search: hover stays instant on a
 * document with tens of thousands of statements.
 */
export function statementAt(statements: readonly AnalyzedStatement[], offset: number): AnalyzedStatement | undefined {
  let low = 0;
  let high = statements.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (statements[mid].docStart <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  // Spans of statements in one TypeScript call can touch; prefer the last one starting before the offset.
  for (let i = found; i >= 0 && i >= found - 1; i--) {
    const statement = statements[i];
    if (statement.docStart <= offset && offset <= statement.docEnd) return statement;
  }
  return undefined;
}
