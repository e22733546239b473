import type { Severity } from '../../finding';
import { formatInteger } from '../../text/integer';
import type { Catalog } from '../../schema/catalog';
import type { Plan, PlanNode } from '../model';

/**
 * A finding read from a plan. It names the plan node and the relation it concerns; the caller places
 * it on the source (the table reference in the SQL text, see locate.ts) and turns it into a Finding.
 */
export interface PlanFinding {
  /** Stable kebab-case id, as for every rule: `seq-scan`, `row-misestimate`, `disk-spill`. */
  code: string;
  severity: Severity;
  /** What is wrong, then what to do: one sentence each. */
  message: string;
  /** The fix alone, for hovers that list it apart. */
  fix: string;
  relation?: string;
  schema?: string;
  /** The alias as the plan shows it (the written alias, or the table name, uniquified like `orders_1`). */
  alias?: string;
  node: { id: number; nodeType: string; label: string };
  data: Record<string, unknown>;
}

export interface PlanFindingOptions {
  /** Sequential scans of tables with fewer rows are fine. Default 10,000. */
  seqScanMinRows?: number;
  /** Actual vs. estimated rows ratio that counts as a misestimate. Default 10. */
  misestimateFactor?: number;
  /** Misestimates of fewer rows than this (over all loops) do not matter. Default 1,000. */
  misestimateMinRows?: number;
  /** Row estimates for tables when the plan alone does not tell how big a table is. */
  catalog?: Catalog;
  /** The rules to run (those the user left on). Default: every plan rule. */
  rules?: readonly PlanRule[];
}

export const DEFAULT_PLAN_FINDING_OPTIONS = {
  seqScanMinRows: 10_000,
  misestimateFactor: 10,
  misestimateMinRows: 1_000,
};

export interface PlanRuleContext {
  plan: Plan;
  options: typeof DEFAULT_PLAN_FINDING_OPTIONS;
  catalog?: Catalog;
  /** The node's ancestors, nearest first. */
  ancestors(node: PlanNode): PlanNode[];
  report(finding: Omit<PlanFinding, 'code' | 'severity' | 'node'> & { node: PlanNode }): void;
}

export interface PlanRule {
  code: string;
  severity: Severity;
  docs: { summary: string };
  check(ctx: PlanRuleContext): void;
}

/** The relation a node is about: its own, or the first one scanned below it. */
export function nearestRelation(node: PlanNode): PlanNode | undefined {
  if (node.relation) return node;
  for (const child of node.children) {
    const found = nearestRelation(child);
    if (found) return found;
  }
  return undefined;
}

/** A count with thousands separators. */
export const formatCount = formatInteger;

export function formatKb(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(1)} MB`;
  return `${Math.round(kb)} kB`;
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
