import { relative, resolve, sep } from 'node:path';
import type { Fix, Range, Severity } from '../../finding';
import { allRules } from '../../rules';
import { PRODUCT_NAME, PRODUCT_VERSION, REPOSITORY_URL, ruleHelpUri } from '../product';
import type { CheckReport } from './report';

/**
 * SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps) read. Columns are declared as
 * UTF-16 code units, which is what Findings count, so no conversion is needed; lines and columns are
 * 1-based and `endColumn` points just past the range.
 */
export function formatSarif(report: CheckReport, cwd: string): string {
  const rules = allRules().map((rule) => ({
    id: rule.code,
    shortDescription: { text: rule.summary },
    helpUri: ruleHelpUri(rule.code),
    defaultConfiguration: { level: sarifLevel(rule.severity as Severity) },
  }));
  // A finding from outside the rule registry (a plan or code analysis) still gets a descriptor.
  for (const code of new Set(report.findings.map((finding) => finding.code))) {
    if (!rules.some((rule) => rule.id === code)) {
      rules.push({ id: code, shortDescription: { text: code }, helpUri: ruleHelpUri(code), defaultConfiguration: { level: 'warning' } });
    }
  }
  const uri = (file: string) => artifactUri(file, cwd);
  const results = report.findings.map((finding) => ({
    ruleId: finding.code,
    ruleIndex: rules.findIndex((rule) => rule.id === finding.code),
    level: sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(finding.file) }, region: sarifRegion(finding.range) } }],
    ...(finding.data ? { properties: { data: finding.data } } : {}),
    ...(finding.fixes?.length ? { fixes: finding.fixes.map((fix) => sarifFix(fix, uri)) } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: PRODUCT_NAME, version: PRODUCT_VERSION, informationUri: REPOSITORY_URL, rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function sarifRegion(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** Relative to the directory pglens ran in, with forward slashes, each segment URI-encoded. */
function artifactUri(file: string, cwd: string): string {
  return relative(cwd, resolve(cwd, file)).split(sep).map(encodeURIComponent).join('/');
}

function sarifFix(fix: Fix, uri: (file: string) => string) {
  const byFile = new Map<string, Fix['edits']>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return {
    description: { text: fix.title },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: { uri: uri(file) },
      replacements: edits.map((edit) => ({ deletedRegion: sarifRegion(edit.range), insertedContent: { text: edit.newText } })),
    })),
  };
}
