import type { Finding } from './finding';
import type { LineIndex } from './text/line-index';

/**
 * Suppression comments: `-- pglens-ignore [code, …]` in SQL, `// pglens-ignore [code, …]` or
 * `/* pglens-ignore … *\/` in TypeScript/JavaScript. A comment silences the listed codes (all codes when
 * none is listed) on its own line and on the line after it. For a finding inside a multi-line query,
 * the line where the query starts counts too, so one comment above `pool.query(`…`)` covers the query.
 */
const IGNORE = /(?:--|\/\/|\/\*)\s*pglens-ignore(?!-)((?:[ \t]*,?[ \t]*[a-z][a-z0-9-]*)*)/g;

interface Suppression {
  line: number;
  codes: Set<string> | 'all';
}

export function findSuppressions(text: string, lines: LineIndex): Suppression[] {
  if (!text.includes('pglens-ignore')) return [];
  const found: Suppression[] = [];
  for (const match of text.matchAll(IGNORE)) {
    const codes = match[1]
      .split(/[\s,]+/)
      .map((code) => code.trim())
      .filter(Boolean);
    found.push({ line: lines.positionAt(match.index ?? 0).line, codes: codes.length ? new Set(codes) : 'all' });
  }
  return found;
}

/** Drops findings silenced by a comment; `anchorLines` gives the lines where a finding's query starts. */
export function applySuppressions(
  findings: Finding[],
  suppressions: Suppression[],
  anchorLines: (finding: Finding) => readonly number[] | undefined,
): Finding[] {
  if (suppressions.length === 0) return findings;
  const byLine = new Map<number, Suppression[]>();
  for (const suppression of suppressions) {
    for (const line of [suppression.line, suppression.line + 1]) {
      byLine.set(line, [...(byLine.get(line) ?? []), suppression]);
    }
  }
  const silences = (line: number | undefined, code: string) =>
    line !== undefined && (byLine.get(line) ?? []).some((s) => s.codes === 'all' || s.codes.has(code));
  return findings.filter(
    (finding) =>
      !silences(finding.range.start.line, finding.code) &&
      !(anchorLines(finding) ?? []).some((line) => silences(line, finding.code)),
  );
}
