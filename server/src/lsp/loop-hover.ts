import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalysis } from '../analyze';
import { escapeMarkdown } from './markdown';

/**
 * The hover on a call that runs a query once per loop iteration: what happens, and the batched shape
 * that replaces it (`data.batched`, written by the N+1 detector). Null when no such finding is under
 * the cursor.
 */
export function loopHover(document: TextDocument, analysis: DocumentAnalysis, position: Position): Hover | null {
  const offset = document.offsetAt(position);
  const finding = analysis.findings.find(
    (candidate) =>
      candidate.code === 'query-in-loop' &&
      document.offsetAt(candidate.range.start) <= offset &&
      offset <= document.offsetAt(candidate.range.end),
  );
  if (!finding) return null;
  const batched = typeof finding.data?.batched === 'string' ? finding.data.batched : undefined;
  const parts = [`**N+1 query** (\`query-in-loop\`): ${escapeMarkdown(finding.message)}`];
  if (batched) parts.push(batched);
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: finding.range };
}
