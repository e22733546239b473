import type { PlanFinding } from '../findings/plan-rule';
import type { Plan } from '../model';

/** What the plan page shows; everything but the query and a plan (model or JSON) is optional. */
export interface PlanPageInput {
  /** The SQL that was explained. */
  query: string;
  /** The plan read into the model; read from `json` when absent. */
  plan?: Plan;
  /** EXPLAIN (FORMAT JSON) output as PostgreSQL returned it (array, element or text): the JSON tab. */
  json?: unknown;
  /** Plan findings, in the order the host numbers them (`applyFix` carries the index). */
  findings?: readonly PlanFindingView[];
  /** Verified index suggestions (`applySuggestion` carries the index). */
  suggestions?: readonly IndexSuggestionView[];
  /** True when the plan came from EXPLAIN ANALYZE; by default the plan itself tells (actual timings). */
  analyzed?: boolean;
  /** Where the plan came from: `shop@localhost, PostgreSQL 15.20`, `sandbox (PGlite, PostgreSQL 18)`. */
  database?: string;
  /** Lines shown under the title, e.g. why ANALYZE was skipped or which parameter values were sampled. */
  notes?: readonly string[];
  /** `vscode` follows the editor's CSS variables (light/dark by the system when they are absent). */
  theme?: PlanPageTheme;
  /** Nonce for the inline <style> and <script> under the page's CSP; a random one when absent. */
  nonce?: string;
  /** The document title. Default "Query plan". */
  title?: string;
}

export type PlanPageTheme = 'vscode' | 'light' | 'dark';

/** A finding as the page needs it; a `PlanFinding` and a `Finding` both fit as they are. */
export type PlanFindingView = Pick<PlanFinding, 'code' | 'severity' | 'message'> & {
  /** The plan node it concerns (`PlanFinding.node`): the node gets a badge and the finding a link to it. */
  node?: { id: number };
  /** The label of the webview's apply button (default "Apply fix"); null when there is nothing to apply. */
  action?: string | null;
};

export interface IndexSuggestionView {
  ddl: string;
  table: string;
  /** Access method or shape: `btree`, `partial btree`, `gin`, … */
  kind?: string;
  /** The plan's total cost without and with the index. */
  costBefore: number;
  costAfter: number;
  /** Estimated size of the index. */
  sizeBytes?: number;
}
