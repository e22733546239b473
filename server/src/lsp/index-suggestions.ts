import { dirname } from 'node:path';
import { adviseQuery, type AdviseOptions } from '../advisor/advise';
import { indexSuggestionFinding, INDEX_SUGGESTION_CODE, INDEX_SUGGESTION_SEVERITY, migrationComment } from '../advisor/finding';
import { formatBytes, formatCost, formatReduction } from '../advisor/format';
import { resolveAdvisorSettings, type AdvisorSettings } from '../advisor/settings';
import type { AdviceOutcome, IndexSuggestion } from '../advisor/suggestion';
import { adviseWorkspace } from '../advisor/workspace';
import { explainable } from '../analysis/explainable';
import type { StatementPlan } from '../analysis/plan-stage';
import { effectiveSeverity, type AnalyzedStatement, type DocumentAnalysis } from '../analyze';
import type { PglensSettings } from '../config';
import type { DatabaseCatalog } from '../db/catalog';
import type { PlanDatabase } from '../db/plan-database';
import type { Finding } from '../finding';
import { migrationFixes, planMigration } from '../migrations/write';
import { SERVER_COMMANDS, type IndexSuggestionSummary } from '../protocol';
import { applySuppressions, findSuppressions } from '../suppress';
import { LineIndex } from '../text/line-index';
import type { CommandRegistry } from './commands';
import type { DatabaseService } from './database-service';
import { databaseSection, type HoverSection } from './hover';
import type { Logger } from './log';
import { escapeMarkdown } from './markdown';

/**
 * The index advisor in the language server: `index-suggestion` diagnostics (with the new-migration
 * quick fix) for queries whose plan scans a large table sequentially, an "Index suggestion" hover
 * section, and `pglens.server.suggestIndexes` over the workspace.
 *
 * In the background (diagnostics, hover) a server database is advised on with hypopg only — building
 * a candidate would lock the user's table while they type; the embedded sandbox is pglens's own, so
 * there candidates may be built in a rolled-back transaction. The workspace command, which the user
 * runs on purpose, may build on a server too. Advice is cached per catalog (a schema change or ANALYZE
 * reads a new one) and statement text.
 */
export interface IndexSuggestionsOptions {
  /** The client's `pglens` section (`workspace/configuration`), or undefined when it cannot be asked. */
  pullSettings(): Promise<unknown>;
  commands: CommandRegistry;
  hoverSections: HoverSection[];
  database: DatabaseService;
  settings: () => PglensSettings;
  roots: () => readonly string[];
  log: Logger;
}

export interface IndexSuggestions {
  /** `index-suggestion` findings for the document's statements whose plan scans a large table sequentially. */
  findings(analysis: DocumentAnalysis, text: string, plans: readonly StatementPlan[], signal: AbortSignal): Promise<Finding[]>;
  /** Verified suggestions for one explained statement (the plan view's), as the hover shows them; [] when off. */
  summaries(sql: string): Promise<IndexSuggestionSummary[]>;
}

/** Statements advised on per document pass; a long migration file is not advised on wholesale. */
const MAX_ADVISED_PER_DOCUMENT = 20;
const CACHE_LIMIT = 500;
const SETTINGS_TTL_MS = 5_000;

export function registerIndexSuggestions(options: IndexSuggestionsOptions): IndexSuggestions {
  const cache = new WeakMap<DatabaseCatalog, Map<string, Promise<AdviceOutcome>>>();
  let advisorSettings: { read: number; value: Promise<AdvisorSettings> } | undefined;

  /** `pglens.advisor` from the client, re-read every few seconds; defaults when the client cannot say. */
  const currentAdvisorSettings = (): Promise<AdvisorSettings> => {
    if (!advisorSettings || performance.now() - advisorSettings.read > SETTINGS_TTL_MS) {
      // A client that never answers must not hold advice up: the defaults after a moment.
      const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, 2_000));
      const value = Promise.race([options.pullSettings().catch(() => undefined), timeout])
        .then((section) => (section && typeof section === 'object' ? (section as Record<string, unknown>).advisor : undefined))
        .then((raw) => resolveAdvisorSettings(raw).settings);
      advisorSettings = { read: performance.now(), value };
    }
    return advisorSettings.value;
  };

  const advise = async (available: PlanDatabase, sql: string, method: AdviseOptions['method']): Promise<AdviceOutcome | undefined> => {
    const db = available.connection.database;
    const catalog = await available.catalog();
    if (!db || !catalog) return undefined;
    let entries = cache.get(catalog);
    if (!entries) cache.set(catalog, (entries = new Map()));
    const key = `${method}\u0000${sql}`;
    let outcome = entries.get(key);
    if (!outcome) {
      const settings = await currentAdvisorSettings();
      outcome = adviseQuery(db, sql, { catalog, settings, method });
      if (entries.size >= CACHE_LIMIT) entries.delete(entries.keys().next().value as string);
      entries.set(key, outcome);
      // A failure (the connection dropped) is not remembered: the next pass tries again.
      void outcome.then((result) => !result.ok && entries.delete(key));
    }
    return outcome;
  };

  const backgroundMethod = (available: PlanDatabase): AdviseOptions['method'] => (available.kind === 'sandbox' ? 'auto' : 'hypopg');

  const fixesFor = async (file: string, suggestion: IndexSuggestion, sql: string) => {
    const root = options.roots()[0] ?? dirname(file);
    const request = { index: suggestion.index, comment: migrationComment(suggestion, sql) };
    try {
      return migrationFixes(await planMigration(root, request), request);
    } catch (error) {
      options.log.error('pglens: writing the migration for an index suggestion failed', error);
      return [];
    }
  };

  options.hoverSections.push(databaseSection(async ({ statement, token }) => {
    const available = options.database.available;
    const target = explainable(statement);
    if (!available || !target || !enabled(options.settings())) return undefined;
    const advice = await advise(available, target.sql, backgroundMethod(available));
    if (!advice?.ok || advice.suggestions.length === 0 || token.isCancellationRequested) return undefined;
    return ['**Index suggestion**', ...advice.suggestions.map(hoverLines)].join('\n\n');
  }));

  options.commands.register(SERVER_COMMANDS.suggestIndexes, async (_args, token): Promise<IndexSuggestionSummary[] | null> => {
    options.database.ensure();
    const available = options.database.available;
    const db = available?.connection.database;
    const catalog = await available?.catalog();
    const root = options.roots()[0];
    if (!db || !catalog || !root) return null;
    const controller = new AbortController();
    const stop = token.onCancellationRequested(() => controller.abort());
    try {
      const advice = await adviseWorkspace(db, root, { catalog, settings: await currentAdvisorSettings(), analysis: options.settings(), signal: controller.signal });
      return advice.suggestions.map(summaryOf);
    } finally {
      stop.dispose();
    }
  });

  return {
    async summaries(sql) {
      const available = options.database.available;
      if (!available || !enabled(options.settings())) return [];
      const advice = await advise(available, sql, backgroundMethod(available));
      return advice?.ok ? advice.suggestions.map(summaryOf) : [];
    },
    async findings(analysis, text, plans, signal) {
      const settings = options.settings();
      const severity = effectiveSeverity(INDEX_SUGGESTION_CODE, INDEX_SUGGESTION_SEVERITY, settings);
      const available = options.database.available;
      if (!severity || !available || analysis.skipped) return [];
      const catalog = available.loadedCatalog;
      const lines = new LineIndex(text);
      const anchors = new WeakMap<Finding, number[]>();
      const found: Finding[] = [];
      for (const plan of plans.filter((p) => scansLargeTable(p, settings, catalog)).slice(0, MAX_ADVISED_PER_DOCUMENT)) {
        if (signal.aborted) return [];
        const advice = await advise(available, plan.sql, backgroundMethod(available));
        if (!advice?.ok) continue;
        for (const suggestion of advice.suggestions) {
          const fixes = await fixesFor(analysis.file, suggestion, plan.sql);
          const finding = indexSuggestionFinding({ file: analysis.file, lines, statement: plan.statement, suggestion, fixes, severity });
          anchors.set(finding, anchorLines(plan.statement, lines));
          found.push(finding);
        }
      }
      return applySuppressions(found, findSuppressions(text, lines), (finding) => anchors.get(finding) ?? []);
    },
  };
}

function summaryOf({ ddl, table, kind, costBefore, costAfter, sizeBytes }: IndexSuggestion): IndexSuggestionSummary {
  return { ddl, table, kind, costBefore, costAfter, sizeBytes };
}

function enabled(settings: PglensSettings): boolean {
  return effectiveSeverity(INDEX_SUGGESTION_CODE, INDEX_SUGGESTION_SEVERITY, settings) !== undefined;
}

/** A plan worth an index: it reads a table of at least `seqScan.minRows` rows sequentially. */
function scansLargeTable(plan: StatementPlan, settings: PglensSettings, catalog: DatabaseCatalog | undefined): boolean {
  const nodes = plan.report?.plan.nodes ?? [];
  return nodes.some((node) => {
    if (node.nodeType !== 'Seq Scan' || !node.relation) return false;
    const rows = catalog?.lookup(node.relation, node.schema)?.rowEstimate ?? node.planRows;
    return rows >= settings.seqScan.minRows;
  });
}

/** The lines a suppression comment may sit above: the region's first line and the statement's. */
function anchorLines(statement: AnalyzedStatement, lines: LineIndex): number[] {
  return [lines.positionAt(statement.region.map.documentSpan.start).line, lines.positionAt(statement.docStart).line];
}

function hoverLines(suggestion: IndexSuggestion): string {
  return [
    '```sql',
    `${suggestion.ddl};`,
    '```',
    escapeMarkdown(
      `${suggestion.kind} index on ${suggestion.table}: estimated cost ${formatCost(suggestion.costBefore)} → ${formatCost(suggestion.costAfter)} (${formatReduction(suggestion.costBefore, suggestion.costAfter)}), ` +
        `about ${formatBytes(suggestion.sizeBytes)}, verified with ${suggestion.verifiedBy === 'hypopg' ? 'hypopg' : 'a rolled-back build'}. ` +
        'The quick fix on the table name adds it as a migration.',
    ),
  ].join('\n');
}
