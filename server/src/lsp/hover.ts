import { MarkupKind, type CancellationToken, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedStatement, DocumentAnalysis } from '../analyze';
import type { Finding, Severity } from '../finding';
import { nextTurn } from '../next-turn';
import { PLAN_RULES } from '../plan/findings/registry';
import type { Logger } from './log';
import { codeSpan, escapeMarkdown } from './markdown';
import { ruleDocsHref } from './rule-docs';
import { statementAt } from './statement-lookup';
import { statementSummary } from './statement-summary';

/** What a hover section sees: the query under the cursor and the findings on it. */
export interface HoverContext {
  document: TextDocument;
  analysis: DocumentAnalysis;
  statement: AnalyzedStatement;
  findings: Finding[];
  token: CancellationToken;
}

/**
 * One part of the hover on a query; undefined when it has nothing to say about this query. A section
 * marked `waitsOnDatabase` (see databaseSection) starts before the others.
 */
export type HoverSection = ((context: HoverContext) => string | undefined | Promise<string | undefined>) & { waitsOnDatabase?: boolean };

/** Marks a section that sends queries, so its round trips start before the sections that read memory. */
export function databaseSection(section: HoverSection): HoverSection {
  return Object.assign(section, { waitsOnDatabase: true });
}

/** The summary walks the AST; parsed statements are memoised by text, so their summaries can be too. */
const summaries = new WeakMap<object, string>();

export const summarySection: HoverSection = ({ statement }) => {
  const key = statement.statement?.stmt;
  if (!key) return statementSummary(statement);
  let summary = summaries.get(key);
  if (summary === undefined) summaries.set(key, (summary = statementSummary(statement)));
  return summary;
};

/** Plan findings are listed with the plan they come from (the plan section), not twice. */
const PLAN_CODES = new Set(PLAN_RULES.map((rule) => rule.code));

export const findingsSection: HoverSection = ({ findings }) => {
  const shown = findings.filter((finding) => !PLAN_CODES.has(finding.code));
  if (shown.length === 0) return undefined;
  return ['**Findings**', ...shown.map(findingLine)].join('\n');
};

/** The hover's sections in order; the server appends the query plan's (plan-hover.ts). */
export const HOVER_SECTIONS: HoverSection[] = [summarySection, findingsSection];

/**
 * The hover for the query at `position`, built from `analysis` (which must belong to this version of
 * `document`), or null when the cursor is not on a query.
 */
export async function queryHover(
  document: TextDocument,
  analysis: DocumentAnalysis,
  position: Position,
  options: { sections: readonly HoverSection[]; token: CancellationToken; log: Logger },
): Promise<Hover | null> {
  const { sections, token, log } = options;
  const statement = statementAt(analysis.statements, document.offsetAt(position));
  if (!statement) return null;
  const findings = analysis.findings.filter((finding) => {
    const offset = document.offsetAt(finding.range.start);
    return offset >= statement.docStart && offset <= statement.docEnd;
  });
  const context: HoverContext = { document, analysis, statement, findings, token };
  const run = async (section: HoverSection) => {
    try {
      return await section(context);
    } catch (error) {
      log.error('pglens: a hover section failed', error); // the other sections still show
      return undefined;
    }
  };
  // Sections run together and show in their order. Those waiting on the database (the plan, the index
  // advisor) start first; the rest once those have answered from memory or, when they wait on the
  // database, on the next turn of the event loop, when their queries are on the wire: the other
  // sections' work then overlaps the round trips instead of delaying them.
  const first = new Map(sections.filter((section) => section.waitsOnDatabase).map((section) => [section, run(section)]));
  const sent = Promise.race([nextTurn(), Promise.all(first.values())]);
  const pending = sections.map((section) => first.get(section) ?? sent.then(() => run(section)));
  const parts: string[] = [];
  for (const part of pending) {
    const text = await part;
    if (token.isCancellationRequested) return null;
    if (text) parts.push(text);
  }
  if (parts.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: { start: document.positionAt(statement.docStart), end: document.positionAt(statement.docEnd) },
  };
}

const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', information: 'Info', hint: 'Hint' };

function findingLine(finding: Finding): string {
  const href = ruleDocsHref(finding.code);
  const code = href ? `[${codeSpan(finding.code)}](${href})` : codeSpan(finding.code);
  const lines = [`- ${SEVERITY_LABEL[finding.severity]} ${code}: ${escapeMarkdown(finding.message)}`];
  for (const fix of finding.fixes ?? []) lines.push(`  - Quick fix: ${escapeMarkdown(fix.title)}`);
  return lines.join('\n');
}
