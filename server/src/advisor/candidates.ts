import type { ColumnStatistics } from '../db/catalog';
import type { IndexInfo } from '../schema/catalog';
import { indexSignature, storedColumns, type IndexDefinition, type IndexKey } from './index-definition';
import type { TablePredicate, TableUse } from './table-usage';

/**
 * Index candidates for one table of a query, built the way a careful person would: equality keys
 * first (the most selective first), then one range key or the ORDER BY keys — never a range key
 * before an equality key, since a btree can only use what follows a range as a filter. Variants add
 * INCLUDE columns for an index-only scan, a partial WHERE for a selective constant predicate, and
 * expression keys (`lower(email)`). The planner decides among them (see verify); this only proposes.
 */
export type CandidateStrategy = 'full' | 'single-column';

export interface CandidateOptions {
  /** `single-column`: one plain column per index and nothing else, the baseline the workload is scored against. */
  strategy?: CandidateStrategy;
  /** pg_stats of the table, by column; empty when unknown. */
  statistics?: ReadonlyMap<string, ColumnStatistics>;
}

/** A constant predicate matching at most this share of rows is worth a partial index. */
export const PARTIAL_MAX_SELECTIVITY = 0.1;
/** …on a column with at most this many distinct values. */
const PARTIAL_MAX_DISTINCT = 100;
/** Most equality keys in one index: more rarely pays for the index's size. */
const MAX_EQUALITY_KEYS = 3;
/** Most INCLUDE columns, and the widest (average bytes) a column may be to be included. */
const MAX_INCLUDE = 4;
const MAX_INCLUDE_WIDTH = 16;
/**
 * Fewest rows an index must be expected to find before a covering variant is proposed: a lookup of a
 * handful of rows visits a handful of heap pages, which is not worth a second, wider copy of the keys.
 */
const COVERING_MIN_ROWS = 100;
const NARROW_TYPES = /^(smallint|integer|bigint|int[248]?|real|double precision|float[48]?|boolean|bool|date|time(stamp)?( \(\d\))?( with(out)? time zone)?|timestamptz|uuid|money|oid|numeric\(\d,\s*\d+\)|numeric\(1\d,\s*\d+\))$/;

export function candidatesFor(use: TableUse, options: CandidateOptions = {}): IndexDefinition[] {
  const statistics = options.statistics ?? new Map<string, ColumnStatistics>();
  const table = { schema: use.table.schema, table: use.table.name };
  const make = (keys: IndexKey[], extra: Partial<IndexDefinition> = {}): IndexDefinition => ({ ...table, keys, include: [], ...extra });

  const selectivity = (predicate: TablePredicate) => predicateSelectivity(predicate, statistics, use.table.rowEstimate);
  const equalities = dedupeKeys([
    ...use.predicates.filter((p) => p.op === 'eq' || p.op === 'in').map((p) => ({ key: p.key, selectivity: selectivity(p) })),
    ...use.joins.map((key) => ({ key, selectivity: keySelectivity(key, statistics, use.table.rowEstimate) })),
  ]).sort((a, b) => a.selectivity - b.selectivity);
  const ranges = dedupeKeys(use.predicates.filter((p) => p.op === 'range').map((p) => ({ key: p.key, selectivity: 0 })));
  const equalityKeys = equalities.map((e) => e.key);
  const rangeKeys = ranges.map((r) => r.key);

  const out: IndexDefinition[] = [];
  if (options.strategy === 'single-column') {
    for (const key of [...equalityKeys, ...rangeKeys, ...(use.order ? [use.order[0].key] : [])]) {
      if (key.column !== undefined) out.push(make([{ ...key, descending: undefined, nulls: undefined }]));
    }
    return unique(out, use.table.indexes);
  }

  // Equality keys alone: each, then growing prefixes of the most selective.
  const leading = equalityKeys.slice(0, MAX_EQUALITY_KEYS);
  for (const key of equalityKeys) out.push(make([key]));
  for (let n = 2; n <= leading.length; n++) out.push(make(leading.slice(0, n)));
  // The fullest indexes: all equality keys, then one range key or the ORDER BY keys after them.
  const fullest: IndexDefinition[] = leading.length && rangeKeys.length === 0 ? [make(leading)] : [];
  if (leading.length && rangeKeys.length) {
    out.push(make(leading));
    // A range alone: the smaller index when the equality keys barely narrow the rows.
    for (const range of rangeKeys) out.push(make([range]));
  }
  for (const range of rangeKeys) fullest.push(make([...without(leading, [range]), range]));
  const orderKeys = orderAfter(use, leading);
  if (orderKeys) fullest.push(make([...leading, ...orderKeys]));
  out.push(...fullest);

  // Covering variants of those, when the rest of what the query reads is narrow and the index finds
  // enough rows for the heap visits an index-only scan saves to matter.
  for (const index of fullest) {
    if (matchedRows(index, use, selectivity, statistics) < COVERING_MIN_ROWS) continue;
    const include = includeFor(use, index, statistics);
    if (include) out.push({ ...index, include });
  }

  // Partial indexes: a selective constant predicate moves into WHERE, the remaining keys stay.
  for (const predicate of use.predicates) {
    if (!partialWorthy(predicate, statistics) || selectivity(predicate) > PARTIAL_MAX_SELECTIVITY) continue;
    const rest = without(leading, [predicate.key]);
    const tail = orderAfter(use, rest) ?? (rangeKeys[0] ? [rangeKeys[0]] : []);
    const keys = [...rest, ...tail.filter((key) => !rest.some((k) => k.sql === key.sql))];
    const partial = make(keys.length ? keys : [stripDirection(predicate.key)], { where: predicate.partialSql, whereLabel: predicate.label });
    out.push(partial);
    // A column read only by the predicate the index's WHERE implies need not be stored for an index-only scan.
    const impliedOnly = predicate.key.columns.filter((column) => (use.references.get(column) ?? 0) <= 1);
    const include = matchedRows(partial, use, selectivity, statistics) >= COVERING_MIN_ROWS ? includeFor(use, partial, statistics, impliedOnly) : undefined;
    if (include) out.push({ ...partial, include });
  }
  return unique(out, use.table.indexes);
}

/**
 * A predicate fit for a partial index's WHERE: constants only (a parameter's value is unknown when the
 * index is made), on a column of a few values — a status, a flag, a NULL check. `customer_id IN (1, 2)`
 * is selective too, but an index for three customers serves only that query's test data.
 */
function partialWorthy(predicate: TablePredicate, statistics: ReadonlyMap<string, ColumnStatistics>): boolean {
  if (!predicate.partialSql || predicate.value !== 'literal' || predicate.key.column === undefined) return false;
  if (predicate.op === 'null' || predicate.op === 'not-null') return true;
  const stats = statistics.get(predicate.key.column);
  if (!stats) return false;
  return (stats.distinctEstimate ?? Infinity) <= PARTIAL_MAX_DISTINCT;
}

/** The ORDER BY keys still to sort by once `leading` are fixed by equalities; undefined without ORDER BY. */
function orderAfter(use: TableUse, leading: IndexKey[]): IndexKey[] | undefined {
  if (!use.order) return undefined;
  const fixed = new Set(leading.map((key) => key.sql));
  const keys = use.order.map((o) => o.key).filter((key) => !fixed.has(key.sql));
  if (keys.length === 0) return undefined;
  // A btree scans both ways: store the first key ascending and flip the rest to match.
  if (keys[0].descending) {
    return keys.map((key) => {
      const flipped: IndexKey = { ...key, descending: !key.descending || undefined };
      if (key.nulls) flipped.nulls = key.nulls === 'first' ? 'last' : 'first';
      return flipped;
    });
  }
  return keys;
}

/** Rows the index's equality keys (and partial predicate) are expected to match; a range keeps a third. */
function matchedRows(index: IndexDefinition, use: TableUse, selectivity: (predicate: TablePredicate) => number, statistics: ReadonlyMap<string, ColumnStatistics>): number {
  let share = 1;
  for (const key of index.keys) {
    const predicate = use.predicates.find((p) => p.key.sql === key.sql);
    if (predicate) share *= selectivity(predicate);
    else if (use.joins.some((join) => join.sql === key.sql)) share *= keySelectivity(key, statistics, use.table.rowEstimate);
  }
  const partial = use.predicates.find((p) => p.partialSql !== undefined && p.partialSql === index.where);
  if (partial) share *= selectivity(partial);
  return share * (use.table.rowEstimate ?? 1_000_000);
}

/** INCLUDE columns that make an index-only scan possible, when there are a few narrow ones. */
function includeFor(use: TableUse, index: IndexDefinition, statistics: ReadonlyMap<string, ColumnStatistics>, needless: readonly string[] = []): string[] | undefined {
  if (use.columns === 'all') return undefined;
  const stored = new Set([...storedColumns(index), ...needless]);
  const rest = [...use.columns].filter((column) => !stored.has(column));
  if (rest.length === 0 || rest.length > MAX_INCLUDE) return undefined;
  const narrow = rest.every((column) => {
    const width = statistics.get(column)?.averageWidth;
    if (width !== undefined) return width <= MAX_INCLUDE_WIDTH;
    const type = use.table.columns.find((c) => c.name === column)?.type ?? '';
    return NARROW_TYPES.test(type);
  });
  return narrow ? rest.sort() : undefined;
}

/** Share of rows a predicate keeps, from pg_stats; 1/distinct for a value not known in advance. */
export function predicateSelectivity(predicate: TablePredicate, statistics: ReadonlyMap<string, ColumnStatistics>, rowEstimate: number | undefined): number {
  const column = predicate.key.column;
  const stats = column === undefined ? undefined : statistics.get(column);
  if (predicate.op === 'null') return stats?.nullFraction ?? 0.5;
  if (predicate.op === 'not-null') return stats ? 1 - stats.nullFraction : 0.5;
  if (predicate.op === 'range') return 1 / 3; // PostgreSQL's own default for an unknown range
  if (!stats || !predicate.literals) return keySelectivity(predicate.key, statistics, rowEstimate) * (predicate.op === 'in' ? 3 : 1);
  return Math.min(1, predicate.literals.reduce((sum, value) => sum + valueFrequency(stats, value), 0));
}

function valueFrequency(stats: ColumnStatistics, value: string): number {
  const index = stats.mostCommonValues.indexOf(value);
  if (index >= 0) return stats.mostCommonFrequencies[index] ?? 0;
  const common = stats.mostCommonFrequencies.reduce((sum, f) => sum + f, 0);
  const others = Math.max(1, (stats.distinctEstimate ?? 200) - stats.mostCommonValues.length);
  return Math.max(0, 1 - stats.nullFraction - common) / others;
}

function keySelectivity(key: IndexKey, statistics: ReadonlyMap<string, ColumnStatistics>, rowEstimate: number | undefined): number {
  const stats = key.column === undefined ? undefined : statistics.get(key.column);
  const distinct = stats?.distinctEstimate;
  if (distinct && distinct > 0) return 1 / distinct;
  // An expression or a column without statistics: PostgreSQL assumes 0.5% for an equality.
  return rowEstimate && rowEstimate < 200 ? 1 / Math.max(1, rowEstimate) : 0.005;
}

function dedupeKeys<T extends { key: IndexKey }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.key.sql)) return false;
    seen.add(item.key.sql);
    return true;
  });
}

function without(keys: IndexKey[], drop: IndexKey[]): IndexKey[] {
  return keys.filter((key) => !drop.some((d) => d.sql === key.sql));
}

function stripDirection(key: IndexKey): IndexKey {
  return { sql: key.sql, columns: key.columns, ...(key.column !== undefined ? { column: key.column } : {}) };
}

/** Drops duplicates and candidates an existing index already is (same keys, predicate and more). */
function unique(candidates: IndexDefinition[], existing: readonly IndexInfo[]): IndexDefinition[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const signature = indexSignature(candidate);
    if (seen.has(signature)) return false;
    seen.add(signature);
    return !existing.some((index) => coveredBy(candidate, index));
  });
}

/** True when an existing index starts with the candidate's keys and matches its predicate and INCLUDE. */
export function coveredBy(candidate: IndexDefinition, index: IndexInfo & { valid?: boolean; method?: string }): boolean {
  if (index.valid === false || (index.method !== undefined && index.method !== 'btree')) return false;
  if (normalize(index.predicate ?? '') !== normalize(candidate.where ?? '')) return false;
  if (index.columns.length < candidate.keys.length) return false;
  const keysMatch = candidate.keys.every((key, i) => normalize(index.columns[i]) === normalize(key.column ?? key.sql));
  if (!keysMatch) return false;
  // Direction: an existing ascending index serves a candidate only when directions agree (or the scan flips all).
  if (candidate.keys.some((key) => key.descending || key.nulls)) return false;
  const stored = new Set([...index.columns, ...(index.include ?? [])].map(normalize));
  return candidate.include.every((column) => stored.has(normalize(column)));
}

/** Expression text compared loosely: pg_get_indexdef adds casts and parentheses the query lacks. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/::[a-z ]+(\[\])?/g, '')
    .replace(/["()\s]/g, '');
}
