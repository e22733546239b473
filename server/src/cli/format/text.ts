import type { Finding, Severity } from '../../finding';
import { SEVERITIES } from '../../finding';
import type { Palette } from './color';
import type { CheckReport } from './report';
import type { SourceExcerpt } from './source-excerpt';

/**
 * For people: `file:line:col severity code message` (1-based, so terminals and editors can jump to it),
 * the offending line with a caret underline, and a summary line.
 */
export function formatText(report: CheckReport, colors: Palette): string {
  const blocks = report.findings.map((finding) => {
    const head = `${colors.bold(location(finding))} ${paint(finding.severity, finding.severity, colors)} ${colors.dim(finding.code)} ${finding.message}`;
    const excerpt = report.excerpts.get(finding);
    return excerpt ? `${head}\n${showExcerpt(finding, excerpt, colors)}\n` : `${head}\n`;
  });
  const separator = report.excerpts.size > 0 ? '\n' : '';
  const body = blocks.join(separator);
  return `${body}${body ? '\n' : ''}${summary(report)}\n`;
}

function location(finding: Finding): string {
  return `${finding.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
}

function paint(severity: Severity, text: string, colors: Palette): string {
  switch (severity) {
    case 'error':
      return colors.red(text);
    case 'warning':
      return colors.yellow(text);
    case 'information':
      return colors.blue(text);
    case 'hint':
      return colors.dim(text);
  }
}

/** `  12 | SELEC name FROM users` over `     | ^^^^^`, the caret under the finding's range. */
function showExcerpt(finding: Finding, excerpt: SourceExcerpt, colors: Palette): string {
  const { start, end } = finding.range;
  const lineNumber = String(start.line + 1);
  const gutter = ' '.repeat(lineNumber.length);
  const from = Math.max(0, Math.min(start.character - excerpt.column, excerpt.text.length));
  const to = end.line === start.line ? end.character - excerpt.column : excerpt.text.length;
  const width = Math.max(1, Math.min(to, excerpt.text.length) - from);
  // Keep tabs where the line has them, so the caret lines up however wide the terminal draws a tab.
  const padding = excerpt.text.slice(0, from).replace(/[^\t]/g, ' ');
  const shown = `${excerpt.column > 0 ? '…' : ''}${excerpt.text}${excerpt.cutRight ? '…' : ''}`;
  const shift = excerpt.column > 0 ? ' ' : '';
  return [
    `  ${colors.dim(`${lineNumber} |`)} ${shown}`,
    `  ${colors.dim(`${gutter} |`)} ${shift}${padding}${paint(finding.severity, '^'.repeat(width), colors)}`,
  ].join('\n');
}

/** "1 error, 3 warnings in 2 files (12 files checked)" or "No problems found in 12 files." */
export function summary(report: CheckReport): string {
  const skipped = report.skipped > 0 ? `, ${report.skipped} skipped` : '';
  if (report.findings.length === 0) {
    if (report.checked === 0 && report.skipped === 0) return 'No .sql or TypeScript/JavaScript files found to check.';
    return `No problems found in ${count(report.checked, 'file')}${skipped ? ` (${report.skipped} skipped)` : ''}.`;
  }
  const counts = SEVERITIES.map((severity) => ({
    severity,
    n: report.findings.filter((finding) => finding.severity === severity).length,
  }))
    .filter(({ n }) => n > 0)
    .map(({ severity, n }) => (severity === 'information' ? `${n} information` : count(n, severity)));
  const files = new Set(report.findings.map((finding) => finding.file)).size;
  return `${counts.join(', ')} in ${count(files, 'file')} (${count(report.checked, 'file')} checked${skipped}).`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
