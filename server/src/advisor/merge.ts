import { keySql, type IndexDefinition } from './index-definition';
import type { IndexSuggestion } from './suggestion';

/**
 * Suggestions from many queries, merged where one index serves several: an index whose keys begin
 * with another's keys (same direction, same partial predicate) and stores its INCLUDE columns serves
 * that query too — `orders (customer_id, created_at)` makes `orders (customer_id)` unnecessary. Each
 * merged suggestion counts the benefit of every query it serves; the list is ranked by that total.
 */
export interface QueryRef {
  file: string;
  /** 0-based line of the statement. */
  line: number;
}

export interface MergedSuggestion extends IndexSuggestion {
  /** Sum over the queries served of (cost before − cost after). */
  benefit: number;
  queries: QueryRef[];
}

export function mergeSuggestions(items: readonly { suggestion: IndexSuggestion; query: QueryRef }[]): MergedSuggestion[] {
  // Widest first, so a narrower index finds the one that serves it.
  const ordered = [...items].sort((a, b) => width(b.suggestion.index) - width(a.suggestion.index));
  const merged: MergedSuggestion[] = [];
  for (const { suggestion, query } of ordered) {
    const benefit = Math.max(0, suggestion.costBefore - suggestion.costAfter);
    const host = merged.find((m) => serves(m.index, suggestion.index));
    if (host) {
      host.benefit += benefit;
      host.costBefore += suggestion.costBefore;
      host.costAfter += suggestion.costAfter;
      host.queries.push(query);
    } else {
      merged.push({ ...suggestion, benefit, queries: [query] });
    }
  }
  for (const m of merged) {
    m.benefit = round(m.benefit);
    m.costBefore = round(m.costBefore);
    m.costAfter = round(m.costAfter);
  }
  return merged.sort((a, b) => b.benefit - a.benefit);
}

/** True when `wide` can do the work of `narrow`. */
export function serves(wide: IndexDefinition, narrow: IndexDefinition): boolean {
  if (wide.schema !== narrow.schema || wide.table !== narrow.table || (wide.where ?? '') !== (narrow.where ?? '')) return false;
  if (narrow.keys.length > wide.keys.length) return false;
  if (!narrow.keys.every((key, i) => keySql(key) === keySql(wide.keys[i]))) return false;
  const stored = new Set([...wide.keys.flatMap((key) => key.columns), ...wide.include]);
  return narrow.include.every((column) => stored.has(column));
}

function width(index: IndexDefinition): number {
  return index.keys.length * 100 + index.include.length;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
