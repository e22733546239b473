import { explainable } from '../analysis/explainable';
import { cachedStatementPlan, planStatement } from '../analysis/plan-stage';
import type { PglensSettings } from '../config';
import { LineIndex } from '../text/line-index';
import { nextTurn } from '../next-turn';
import { cancelSignalOf } from './cancellation';
import type { DatabaseService } from './database-service';
import { databaseSection, type HoverSection } from './hover';
import { escapeMarkdown } from './markdown';
import { planLinks, planOrigin } from './plan-markdown';
import { ruleDocsHref } from './rule-docs';

/**
 * The hover's plan: cost, the plan tree and its findings (renderPlanMarkdown), where the plan came
 * from, and links to run EXPLAIN ANALYZE or open the plan view. A plan the diagnostics pass already
 * read comes from the runner's cache; one it is reading right now is shared, not asked for twice.
 * Without a configured database the section says nothing: the hover stays what static analysis knows.
 */
export function planHoverSection(database: DatabaseService, settings: () => PglensSettings): HoverSection {
  return databaseSection(async ({ document, analysis, statement, token }) => {
    if (!database.current || !explainable(statement, false)) return undefined;
    database.ensure();
    const available = database.available;
    if (!available) return `_No plan yet: ${escapeMarkdown(database.status.detail ?? database.status.label)}_`;
    const context = { explain: database.explain, cached: database.cached, settings: settings(), catalog: available.loadedCatalog, docsUrl: ruleDocsHref };
    const lines = () => new LineIndex(document.getText());
    // Where the plan comes from and the links under it need no plan.
    const footer = async () => {
      const sandbox = available.kind === 'sandbox' ? await available.builtSandbox() : undefined;
      return `${planOrigin(available, sandbox?.description)}  \n${planLinks(document.uri, document.positionAt(statement.docStart))}`;
    };
    // A plan the diagnostics pass already read is answered at once, with nothing to cancel. Otherwise
    // the footer is written while the EXPLAIN is out.
    let plan = cachedStatementPlan(analysis.file, lines, statement, context);
    let written: Promise<string> | undefined;
    if (!plan) {
      const planning = planStatement(analysis.file, lines, statement, context, { signal: cancelSignalOf(token) });
      written = nextTurn().then(footer);
      written.catch(() => undefined); // awaited below unless there is no plan to put it under
      plan = await planning;
    }
    if (!plan || token.isCancellationRequested) return undefined;
    if (!plan.report) return `**Query plan**: ${escapeMarkdown(plan.problem ?? 'not available.')}`;
    return [plan.report.markdown, '', await (written ?? footer())].join('\n');
  });
}
