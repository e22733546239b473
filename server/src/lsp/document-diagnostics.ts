import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalysis } from '../analyze';
import type { Finding } from '../finding';
import type { DocumentIdentity } from './document-identity';
import { toDiagnostic } from './diagnostics';
import { statementAt } from './statement-lookup';

/** The diagnostics to publish for one analysis of `document` (the version the analysis ran on). */
export function documentDiagnostics(analysis: DocumentAnalysis, document: TextDocument, identity: DocumentIdentity): Diagnostic[] {
  return analysis.findings.map((finding) =>
    toDiagnostic(finding, identity, document.version, suppressLine(finding, analysis, document, identity)),
  );
}

/**
 * Where `pglens-ignore` goes. In a .sql file, above the finding's own line. In TypeScript/JavaScript the
 * SQL sits inside a string, where a comment would change the query; the comment goes above the line the
 * query starts on, which suppression honours for every finding in that query.
 */
function suppressLine(finding: Finding, analysis: DocumentAnalysis, document: TextDocument, identity: DocumentIdentity): number {
  if (identity.kind !== 'script') return finding.range.start.line;
  const statement = statementAt(analysis.statements, document.offsetAt(finding.range.start));
  if (!statement) return finding.range.start.line;
  return document.positionAt(statement.region.map.documentSpan.start).line;
}
