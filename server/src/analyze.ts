import type { Node } from 'libpg-query';
import type { PglensSettings } from './config';
import { documentKind, extractRegions } from './extract/index';
import type { SqlRegion } from './extract/region';
import type { Finding, Fix, Severity } from './finding';
import type { Catalog } from './schema/catalog';
import { parseSql, type ParsedStatement } from './sql/parse';
import { sqlSyntax } from './sql/rules/registry';
import { runStatementRules } from './sql/rules/run-rules';
import type { SqlFix, SqlReport } from './sql/rules/rule';
import { applySuppressions, findSuppressions } from './suppress';
import { LineIndex } from './text/line-index';

/**
 * The engine's entry point: a document's text in, Findings out. Knows nothing of LSP or the CLI.
 */
export interface AnalysisOptions {
  catalog: Catalog;
  settings: PglensSettings;
}

/** One statement found in a document, for hover and later stages (EXPLAIN, the advisor). */
export interface AnalyzedStatement {
  region: SqlRegion;
  /** Absent when the region did not parse. */
  statement?: ParsedStatement;
  /** `SelectStmt`, `InsertStmt`, … (the parser's node name), or `invalid`. */
  kind: string;
  /** The statement's span in the document (UTF-16 offsets). */
  docStart: number;
  docEnd: number;
}

export interface DocumentAnalysis {
  file: string;
  findings: Finding[];
  statements: AnalyzedStatement[];
  /** Why the document was not analysed (too large, binary), for a notice to the user. */
  skipped?: string;
  /** Rules that threw on a statement: the rest of the analysis stands; adapters log these. */
  ruleErrors: { code: string; error: unknown }[];
}

export function analyzeDocument(
  file: string,
  text: string,
  options: AnalysisOptions,
): DocumentAnalysis {
  const skipped = skipReason(file, text, options.settings);
  if (skipped) return { file, findings: [], statements: [], skipped, ruleErrors: [] };

  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  const statements: AnalyzedStatement[] = [];
  const ruleErrors: DocumentAnalysis['ruleErrors'] = [];
  // The lines where a finding's query starts: a suppression comment above them covers the finding.
  const anchors = new WeakMap<Finding, number[]>();

  for (const region of extractRegions(file, text)) {
    const regionLine = lines.positionAt(region.map.documentSpan.start).line;
    let anchorLines = [regionLine];
    const emit = (code: string, defaultSeverity: Severity, report: SqlReport) => {
      const severity = effectiveSeverity(code, defaultSeverity, options.settings);
      if (!severity) return;
      const finding = toFinding(file, lines, region, code, severity, report);
      anchors.set(finding, anchorLines);
      findings.push(finding);
    };

    const parsed = parseSql(region.sql);
    if (!parsed.ok) {
      if (!region.explicit) continue; // not SQL after all: a string that only looked like it
      emit(sqlSyntax.code, sqlSyntax.severity, sqlSyntax.checkParseError(parsed, region));
      const span = region.map.documentSpan;
      statements.push({ region, kind: 'invalid', docStart: span.start, docEnd: span.end });
      continue;
    }
    for (const statement of parsed.statements) {
      const docSpan = region.map.toDocumentRange(statement.start, statement.end);
      statements.push({ region, statement, kind: nodeKind(statement.stmt), docStart: docSpan.start, docEnd: docSpan.end });
      anchorLines = [regionLine, lines.positionAt(docSpan.start).line];
      const outcomes = runStatementRules({
        statement,
        region,
        offsetOf: parsed.offsetOf,
        catalog: options.catalog,
        settings: options.settings,
      });
      for (const outcome of outcomes) {
        if ('error' in outcome) ruleErrors.push(outcome);
        else emit(outcome.code, outcome.severity, outcome.report);
      }
    }
  }

  const kept = applySuppressions(findings, findSuppressions(text, lines), (finding) => anchors.get(finding) ?? []);
  return { file, findings: kept, statements, ruleErrors };
}

function skipReason(file: string, text: string, settings: PglensSettings): string | undefined {
  if (!documentKind(file)) return undefined;
  // Rough byte size: exact for ASCII, a lower bound otherwise — good enough for a size guard.
  if (text.length > settings.maxFileBytes) {
    return `Skipped: the file is larger than pglens.maxFileBytes (${settings.maxFileBytes} bytes).`;
  }
  if (text.slice(0, 8192).includes('\u0000')) return 'Skipped: the file looks binary.';
  return undefined;
}

/** The severity a rule reports with under the user's settings; undefined when the rule is off. */
export function effectiveSeverity(code: string, defaultSeverity: Severity, settings: PglensSettings): Severity | undefined {
  const configured = settings.rules[code];
  if (configured === 'off') return undefined;
  return configured ?? defaultSeverity;
}

/** `SelectStmt` for `{ SelectStmt: … }`. */
export function nodeKind(node: Node): string {
  return Object.keys(node)[0] ?? 'unknown';
}

function toFinding(
  file: string,
  lines: LineIndex,
  region: SqlRegion,
  code: string,
  severity: Severity,
  report: SqlReport,
): Finding {
  const span = region.map.toDocumentRange(report.start, report.end);
  const finding: Finding = {
    file,
    range: lines.rangeOf(span.start, span.end),
    severity,
    code,
    message: report.message,
  };
  if (report.data) finding.data = report.data;
  if (report.fixes?.length) finding.fixes = report.fixes.map((fix) => toFix(file, lines, region, fix));
  return finding;
}

function toFix(file: string, lines: LineIndex, region: SqlRegion, fix: SqlFix): Fix {
  const escape = region.escapeForHost ?? ((text: string) => text);
  return {
    title: fix.title,
    preferred: fix.preferred,
    edits: fix.edits.map((edit) => {
      const span = region.map.toDocumentRange(edit.start, edit.end);
      return { file, range: lines.rangeOf(span.start, span.end), newText: escape(edit.newText) };
    }),
  };
}
