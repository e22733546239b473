import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedStatement, DocumentAnalysis } from '../analyze';
import { planStatement, type StatementPlan } from '../analysis/plan-stage';
import type { PglensSettings } from '../config';
import { PLAN_REQUEST, SERVER_COMMANDS, type IndexSuggestionSummary, type PlanRequestParams, type PlanResponse } from '../protocol';
import { LineIndex } from '../text/line-index';
import { cancelSignalOf } from './cancellation';
import type { CommandRegistry } from './commands';
import type { DatabaseService } from './database-service';
import type { Logger } from './log';
import { planOrigin } from './plan-markdown';
import { ruleDocsHref } from './rule-docs';
import type { AnalysisScheduler } from './scheduler';
import { statementAt } from './statement-lookup';
import { isPosition } from './shapes';

export interface PlanCommandDeps {
  connection: Connection;
  commands: CommandRegistry;
  scheduler: AnalysisScheduler;
  database: DatabaseService;
  settings: () => PglensSettings;
  /** Verified index suggestions for an explained statement (the advisor's), shown on the plan page. */
  suggestions(sql: string): Promise<IndexSuggestionSummary[]>;
  /** The client's database URL changed (`pglens.server.setDatabaseUrl`): reconnect with it. */
  setClientUrl(url: string | undefined): Promise<void>;
  log: Logger;
}

/**
 * `pglens.server.explain` [uri, position, analyze?] → Markdown, `pglens.server.setDatabaseUrl`
 * [url | null], and the `pglens/plan` request. A plan that cannot be had is an error whose message
 * says why and what to do; no query at the position is null.
 */
export function registerPlanCommands(deps: PlanCommandDeps): void {
  deps.commands.register(SERVER_COMMANDS.explain, async (args, token) => {
    const [uri, position, analyze] = args;
    if (typeof uri !== 'string' || !isPosition(position)) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, `${SERVER_COMMANDS.explain} takes [uri, position, analyze?].`);
    }
    const planned = await planAt(deps, uri, position, analyze === true, token);
    if (!planned) return null;
    const { plan, document, origin } = planned;
    const line = document.positionAt(plan.statement.docStart).line + 1;
    return [
      `### ${plan.outcome.ok && plan.outcome.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} · line ${line}`,
      origin,
      '',
      '```sql',
      plan.sql,
      '```',
      '',
      plan.report!.markdown,
    ].join('\n');
  });

  deps.commands.register(SERVER_COMMANDS.setDatabaseUrl, async (args) => {
    const [url] = args;
    if (url !== null && url !== undefined && typeof url !== 'string') {
      throw new ResponseError(LSPErrorCodes.RequestFailed, `${SERVER_COMMANDS.setDatabaseUrl} takes a postgresql:// URL, or null to forget it.`);
    }
    await deps.setClientUrl(url?.trim() || undefined);
    return null;
  });

  deps.connection.onRequest(PLAN_REQUEST, async (params: PlanRequestParams, token): Promise<PlanResponse | null> => {
    try {
      const planned = await planAt(deps, params.uri, params.position, params.analyze === true, token);
      if (!planned) return null;
      const { plan, result, description } = planned;
      const statement = plan.statement;
      const onStatement = result.findings.filter((finding) => {
        const offset = planned.document.offsetAt(finding.range.start);
        return offset >= statement.docStart && offset <= statement.docEnd && !plan.findings.some((own) => own.code === finding.code && sameRange(own.range, finding.range));
      });
      return {
        query: plan.sql,
        planJson: plan.outcome.ok ? plan.outcome.json : null,
        analyzed: plan.outcome.ok && plan.outcome.analyzed,
        database: description,
        findings: [...plan.findings, ...onStatement],
        suggestions: await suggestionsFor(deps, plan.sql),
      };
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      deps.log.error('pglens: pglens/plan failed', error);
      throw new ResponseError(LSPErrorCodes.RequestFailed, `pglens failed while planning the query (${error instanceof Error ? error.message : String(error)}); see the pglens output.`);
    }
  });
}

/** The page shows the plan even when the advisor fails; the failure goes to the log. */
async function suggestionsFor(deps: PlanCommandDeps, sql: string): Promise<IndexSuggestionSummary[]> {
  try {
    return await deps.suggestions(sql);
  } catch (error) {
    deps.log.error('pglens: the index advisor failed for the plan view', error);
    return [];
  }
}

interface Planned {
  plan: StatementPlan & { report: NonNullable<StatementPlan['report']> };
  document: TextDocument;
  result: DocumentAnalysis;
  origin: string;
  description: string;
}

/** The plan of the query at `position`; undefined when there is no query there. */
async function planAt(deps: PlanCommandDeps, uri: string, position: Position, analyze: boolean, token: CancellationToken): Promise<Planned | undefined> {
  const current = await deps.scheduler.analysisFor(uri);
  if (!current) return undefined;
  const statement: AnalyzedStatement | undefined = statementAt(current.analysis.statements, current.document.offsetAt(position));
  if (!statement?.statement) return undefined;
  deps.database.ensure();
  const database = deps.database.available;
  if (!database) {
    const status = deps.database.status;
    throw new ResponseError(LSPErrorCodes.RequestFailed, `there is no database to plan on. ${status.detail ?? ''}`.trim());
  }
  const settings = deps.settings();
  const plan = await planStatement(
    current.analysis.file,
    new LineIndex(current.document.getText()),
    statement,
    { explain: deps.database.explain, settings, catalog: await database.catalog(), docsUrl: ruleDocsHref },
    { analyze, signal: cancelSignalOf(token) },
  );
  if (!plan) throw new ResponseError(LSPErrorCodes.RequestFailed, 'pglens explains only SELECT, INSERT, UPDATE, DELETE and MERGE; put the cursor on one of those.');
  if (!plan.report) {
    if (!plan.outcome.ok && plan.outcome.reason === 'cancelled') throw new ResponseError(LSPErrorCodes.RequestCancelled, plan.outcome.message);
    throw new ResponseError(LSPErrorCodes.RequestFailed, plan.problem ?? 'PostgreSQL returned no plan.');
  }
  const sandbox = database.kind === 'sandbox' ? await database.builtSandbox() : undefined;
  return {
    plan: plan as Planned['plan'],
    document: current.document,
    result: current.analysis,
    origin: planOrigin(database, sandbox?.description),
    description: (await database.describe()) ?? 'the database',
  };
}

function sameRange(a: { start: Position; end: Position }, b: { start: Position; end: Position }): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

