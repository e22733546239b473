import type { AnalyzedStatement, DocumentAnalysis } from '../analyze';
import type { CancelSignal } from '../cancel-signal';
import type { PglensSettings } from '../config';
import type { ExplainOptions, ExplainOutcome } from '../db/explain';
import type { Finding } from '../finding';
import type { PlanReport } from '../plan/report';
import type { Catalog } from '../schema/catalog';
import { applySuppressions, findSuppressions } from '../suppress';
import { LineIndex } from '../text/line-index';
import { explainable, type ExplainableStatement } from './explainable';
import { placePlanFinding } from './plan-placement';
import { planRulesOn } from './plan-settings';
import { cachedReport } from './report-cache';

/**
 * The plan stage: runs after the static analysis (which stays synchronous and knows no database),
 * explains each statement EXPLAIN can run, and turns plan findings into Findings on the source.
 * A failed EXPLAIN (a table the database lacks, a timeout) yields no finding: the hover says why. A
 * lost connection or a cancellation stops the stage; the caller's connection reports the former.
 */
export type Explain = (sql: string, options: ExplainOptions) => Promise<ExplainOutcome>;

export interface PlanContext {
  explain: Explain;
  /** The plan already cached for a statement, without waiting; lets a hover answer at once. */
  cached?: (sql: string, options: ExplainOptions) => ExplainOutcome | undefined;
  settings: PglensSettings;
  /** Row estimates for the plan rules (the database's catalog); a filtered scan's size comes from here. */
  catalog?: Catalog;
  docsUrl?: (code: string) => string | undefined;
}

export interface StatementPlan {
  statement: AnalyzedStatement;
  /** The SQL sent to EXPLAIN. */
  sql: string;
  outcome: ExplainOutcome;
  /** The plan read, with the findings the user's settings keep; absent when there is no plan. */
  report?: PlanReport;
  /** Those findings placed on the document (suppression comments not yet applied). */
  findings: Finding[];
  /** Why there is no plan, as one sentence with what to do; absent when there is one. */
  problem?: string;
}

export interface PlanStageResult {
  /** Plan findings on the document, suppression comments applied. */
  findings: Finding[];
  plans: StatementPlan[];
  /** Set when the stage stopped before every statement was planned. */
  stopped?: 'cancelled' | 'connection';
}

/** More statements than this in one document are left unplanned (a dump, a seed file). */
export const MAX_PLANNED_STATEMENTS = 300;

export interface StatementPlanOptions {
  analyze?: boolean;
  params?: readonly unknown[];
  signal?: CancelSignal;
}

/** Explains one analysed statement the user pointed at; undefined when EXPLAIN cannot run it. */
export function planStatement(
  file: string,
  /** The document's lines, or how to get them: only findings to place need them. */
  lines: LineIndex | (() => LineIndex),
  statement: AnalyzedStatement,
  context: PlanContext,
  options: StatementPlanOptions = {},
): Promise<StatementPlan | undefined> {
  const target = explainable(statement, false);
  return target ? planTarget(file, lines, target, context, options) : Promise.resolve(undefined);
}

/** The plan of a statement when the database's cache already holds it; nothing is sent. */
export function cachedStatementPlan(
  file: string,
  lines: LineIndex | (() => LineIndex),
  statement: AnalyzedStatement,
  context: PlanContext,
): StatementPlan | undefined {
  const target = context.cached && explainable(statement, false);
  const outcome = target && context.cached?.(target.sql, explainOptions(target, context.settings, {}));
  return target && outcome ? statementPlanFrom(file, lines, target, context, outcome) : undefined;
}

export async function runPlanStage(
  analysis: DocumentAnalysis,
  text: string,
  context: PlanContext & { signal?: CancelSignal; concurrency?: number },
): Promise<PlanStageResult> {
  const result: PlanStageResult = { findings: [], plans: [] };
  if (analysis.skipped || !planRulesOn(context.settings)) return result;
  const targets = await explainableTargets(analysis.statements, context.signal);
  const lines = new LineIndex(text);
  const anchors = new WeakMap<Finding, number[]>();
  let next = 0;
  const worker = async () => {
    while (next < targets.length && !result.stopped) {
      const target = targets[next++];
      if (context.signal?.aborted) {
        result.stopped = 'cancelled';
        return;
      }
      const plan = await planTarget(analysis.file, lines, target, context, { signal: context.signal });
      if (!plan.outcome.ok && (plan.outcome.reason === 'cancelled' || plan.outcome.reason === 'connection')) {
        result.stopped ??= plan.outcome.reason === 'cancelled' ? 'cancelled' : 'connection';
        return;
      }
      result.plans.push(plan);
      const statementLines = [
        lines.positionAt(target.statement.region.map.documentSpan.start).line,
        lines.positionAt(target.statement.docStart).line,
      ];
      for (const finding of plan.findings) anchors.set(finding, statementLines);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, context.concurrency ?? 1) }, worker));
  // Workers finish out of order; keep the document's order.
  result.plans.sort((a, b) => a.statement.docStart - b.statement.docStart);
  const findings = result.plans.flatMap((plan) => plan.findings);
  result.findings = applySuppressions(findings, findSuppressions(text, lines), (finding) => anchors.get(finding) ?? []);
  return result;
}

/**
 * The statements to plan, at most MAX_PLANNED_STATEMENTS. Reading each one's facts walks its AST; on
 * a document of tens of thousands of statements that is long enough to make a hover wait, so the walk
 * gives way to other work every few hundred statements.
 */
async function explainableTargets(statements: readonly AnalyzedStatement[], signal: CancelSignal | undefined): Promise<ExplainableStatement[]> {
  const targets: ExplainableStatement[] = [];
  for (let i = 0; i < statements.length && targets.length < MAX_PLANNED_STATEMENTS; i++) {
    if (i > 0 && i % 250 === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) break;
    }
    const target = explainable(statements[i]);
    if (target) targets.push(target);
  }
  return targets;
}

async function planTarget(
  file: string,
  lines: LineIndex | (() => LineIndex),
  target: ExplainableStatement,
  context: PlanContext,
  options: StatementPlanOptions,
): Promise<StatementPlan> {
  const outcome = await context.explain(target.sql, explainOptions(target, context.settings, options));
  return statementPlanFrom(file, lines, target, context, outcome);
}

function explainOptions(target: ExplainableStatement, settings: PglensSettings, options: StatementPlanOptions): ExplainOptions {
  return {
    analyze: options.analyze ?? false,
    params: options.params,
    analyzeWrites: settings.explain.analyzeWrites,
    statementTimeoutMs: settings.explain.statementTimeoutMs,
    signal: options.signal,
    // Parsed by the analysis pass already: the runner need not parse it again.
    statement: target.statement.statement,
  };
}

/** The outcome of one EXPLAIN read into a report, its findings placed on the document. */
function statementPlanFrom(
  file: string,
  lines: LineIndex | (() => LineIndex),
  target: ExplainableStatement,
  context: PlanContext,
  outcome: ExplainOutcome,
): StatementPlan {
  const plan: StatementPlan = { statement: target.statement, sql: target.sql, outcome, findings: [] };
  if (!outcome.ok) {
    plan.problem = outcome.message;
    return plan;
  }
  const report = cachedReport(outcome, context.settings, context.catalog, context.docsUrl);
  if ('error' in report) {
    plan.problem = `pglens could not read the plan PostgreSQL returned (${report.error}); please report this with the query.`;
    return plan;
  }
  plan.report = report;
  if (report.findings.length) {
    const index = typeof lines === 'function' ? lines() : lines;
    plan.findings = report.findings.map((finding) => placePlanFinding(file, index, target, finding));
  }
  return plan;
}
