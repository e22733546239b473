import type { IndexSuggestionSummary } from '../protocol';
import type { IndexDefinition } from './index-definition';
import type { VerificationMethod } from './verifier';

/**
 * What the advisor hands to the server and the CLI: a verified index, with the costs the planner gave
 * the statement before and after, and the table reference in the query it is for.
 */
export interface IndexSuggestion extends IndexSuggestionSummary {
  /** `CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON table (…)`. */
  ddl: string;
  /** The readable index name used in the DDL. */
  name: string;
  /** The table as shown to people: `orders`, `sales.orders`. */
  table: string;
  verifiedBy: VerificationMethod;
  index: IndexDefinition;
  /** The table reference in the query this index serves (for placing a finding). */
  relation: { schema: string; name: string; alias?: string };
}

/** A candidate that could not be tried, and why (never a guess in its place). */
export interface UnverifiedCandidate {
  ddl: string;
  table: string;
  reason: string;
}

export interface Advice {
  ok: true;
  /** Best first; a second one is for another table and counts the first as already there. */
  suggestions: IndexSuggestion[];
  unverified: UnverifiedCandidate[];
  /** How candidates were verified; absent when there was nothing to verify. */
  method?: VerificationMethod;
  /** The statement's estimated cost with the existing indexes; absent when it was not planned. */
  costBefore?: number;
  plannerCalls: number;
  candidates: number;
  /** Things worth telling the user (no hypopg, generic plan…), one sentence each. */
  notes: string[];
  durationMs: number;
}

export interface AdviceFailure {
  ok: false;
  reason: 'syntax' | 'empty' | 'multiple-statements' | 'not-advisable' | 'database' | 'cancelled';
  message: string;
}

export type AdviceOutcome = Advice | AdviceFailure;
