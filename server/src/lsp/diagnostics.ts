import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../finding';
import { uriOfFile, type DocumentIdentity } from './document-identity';
import { ruleDocsHref } from './rule-docs';
import { isFix } from './shapes';

/** What a diagnostic carries for code actions, so they never need the analysis again. */
export interface DiagnosticData {
  /** The document version the finding was computed on; edits are pinned to it. */
  version: number;
  /** The line a suppression comment goes above (the query's first line in TypeScript/JavaScript). */
  suppressLine: number;
  fixes?: Fix[];
  /** The rule's own data (`finding.data`). */
  finding?: Record<string, unknown>;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(
  finding: Finding,
  document: DocumentIdentity,
  version: number,
  suppressLine: number,
): Diagnostic {
  const data: DiagnosticData = { version, suppressLine };
  if (finding.fixes?.length) data.fixes = finding.fixes;
  if (finding.data) data.finding = finding.data;
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: 'pglens',
    message: finding.message,
    data,
  };
  const href = ruleDocsHref(finding.code);
  if (href) diagnostic.codeDescription = { href };
  if (finding.related?.length) diagnostic.relatedInformation = finding.related.map((related) => relatedInformation(related, document));
  return diagnostic;
}

function relatedInformation(related: NonNullable<Finding['related']>[number], document: DocumentIdentity): DiagnosticRelatedInformation {
  return { location: { uri: uriOfFile(related.file, document), range: related.range }, message: related.message };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Partial<DiagnosticData>;
  return (
    Number.isInteger(data.version) &&
    Number.isInteger(data.suppressLine) &&
    (data.fixes === undefined || (Array.isArray(data.fixes) && data.fixes.every(isFix)))
  );
}
