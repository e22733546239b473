import type { Node } from 'libpg-query';
import { DatabaseCatalog, type ColumnStatistics, type DatabaseTableInfo } from '../db/catalog';
import type { Database, Session } from '../db/queryable';
import { statementFacts } from '../db/statement-facts';
import type { Plan } from '../plan/model';
import type { Catalog } from '../schema/catalog';
import { loadParser, parseSql } from '../sql/parse';
import { candidatesFor, type CandidateStrategy } from './candidates';
import { chooseIndex, type Measured } from './choose';
import { HypopgVerifier } from './hypopg-verifier';
import { indexName, indexKind, suggestedDdl, tableLabel, type IndexDefinition } from './index-definition';
import { findHypopg } from './method';
import { Planner } from './planner';
import { servedTables } from './served';
import { DEFAULT_ADVISOR_SETTINGS, type AdvisorSettings } from './settings';
import { estimateIndexBytes } from './size-estimate';
import type { AdviceFailure, AdviceOutcome, IndexSuggestion, UnverifiedCandidate } from './suggestion';
import { tableUses, type TableUse } from './table-usage';
import { TransactionVerifier } from './transaction-verifier';
import type { Verifier } from './verifier';

/**
 * The index advisor for one statement: candidates from the query (table-usage, candidates), the
 * plan with existing indexes, each candidate tried in front of the planner (hypopg, else a rolled-back
 * build), and the one worth suggesting per table (choose). Nothing it creates outlives the call.
 */
export interface AdviseOptions {
  /** Values for `$1`, `$2`, …; without them the generic plan is used. */
  params?: readonly unknown[];
  /** The database's catalog, when the caller already holds one (it is read otherwise). */
  catalog?: DatabaseCatalog | Catalog;
  settings?: Partial<AdvisorSettings>;
  /** Aborting cancels the running statement and resolves with `cancelled`. */
  signal?: AbortSignal;
  /** `single-column` restricts candidates to one plain column (the baseline strategy). */
  strategy?: CandidateStrategy;
  /**
   * How candidates are verified. `auto` (default): hypopg when the database has it, else a rolled-back
   * build. `hypopg`: hypopg or nothing — for background work that must never take a table lock.
   * `transaction`: always build (tests, benchmarks).
   */
  method?: 'auto' | 'hypopg' | 'transaction';
}

interface Candidate {
  index: IndexDefinition;
  use: TableUse;
}

class Cancelled extends Error {}

export async function adviseQuery(database: Database, sql: string, options: AdviseOptions = {}): Promise<AdviceOutcome> {
  const started = performance.now();
  const settings: AdvisorSettings = { ...DEFAULT_ADVISOR_SETTINGS, ...options.settings };
  await loadParser();
  const parsed = parseSql(sql);
  if (!parsed.ok) return failure('syntax', `The query does not parse (${parsed.message}); fix the syntax first.`);
  if (parsed.statements.length === 0) return failure('empty', 'There is no statement to advise on.');
  if (parsed.statements.length > 1) {
    return failure('multiple-statements', `The text holds ${parsed.statements.length} statements; the advisor looks at one at a time, so pass them separately.`);
  }
  const statement = parsed.statements[0];
  const facts = statementFacts(statement.stmt);
  if (facts.statement.kind === 'refused') return failure('not-advisable', facts.statement.reason);

  let catalog: Catalog;
  let candidates: Candidate[];
  const notes: string[] = [];
  try {
    catalog = options.catalog ?? (await DatabaseCatalog.load(database));
    candidates = await collectCandidates(statement.stmt, catalog, options.strategy ?? 'full');
  } catch (error) {
    return failure('database', `The database could not be read (${message(error)}); check the connection and try again.`);
  }
  const done = (advice: Omit<Extract<AdviceOutcome, { ok: true }>, 'ok' | 'durationMs' | 'notes' | 'candidates'>): AdviceOutcome => ({
    ok: true,
    ...advice,
    candidates: candidates.length,
    notes,
    durationMs: performance.now() - started,
  });
  if (candidates.length === 0) return done({ suggestions: [], unverified: [], plannerCalls: 0 });

  const values = options.params && options.params.length >= facts.parameterCount ? [...options.params] : undefined;
  if (facts.parameterCount > 0 && !values) notes.push('Generic plan: parameters were planned without values; pass values for a plan that fits them.');
  const text = sql.slice(statement.start, statement.end);
  let versionNum: number;
  try {
    // Read before holding a connection: with a pool of one, a query from inside the session would wait forever.
    versionNum = await database.serverVersionNum();
  } catch (error) {
    return failure('database', `The database could not be read (${message(error)}); check the connection and try again.`);
  }
  if (options.signal?.aborted) return cancelled();

  return new Promise<AdviceOutcome>((resolve) => {
    let session: Session | undefined;
    const onAbort = () => {
      if (session) void database.cancel(session);
      resolve(cancelled());
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    database
      .withSession(async (held) => {
        session = held;
        const planner = new Planner(held, versionNum, { text, parameterCount: facts.parameterCount, values });
        const schema = options.method === 'transaction' ? undefined : await findHypopg(held, settings, notes, options.method === 'hypopg' ? 'none' : 'transaction');
        if (!schema && options.method === 'hypopg') return done({ suggestions: [], unverified: [], plannerCalls: 0 });
        const verifier: Verifier = schema ? new HypopgVerifier(held, planner, schema, settings) : new TransactionVerifier(held, planner, settings);
        await verifier.begin();
        try {
          const result = await verify(verifier, candidates, settings, () => options.signal?.aborted ?? false);
          return done({ ...result, method: verifier.method, plannerCalls: verifier.plannerCalls });
        } finally {
          await verifier.end();
        }
      })
      .then(resolve, (error: unknown) => resolve(error instanceof Cancelled || options.signal?.aborted ? cancelled() : failure('database', `The advisor could not plan the query (${message(error)}).`)))
      .finally(() => options.signal?.removeEventListener('abort', onAbort));
  });
}

async function collectCandidates(stmt: Node, catalog: Catalog, strategy: CandidateStrategy): Promise<Candidate[]> {
  const uses = tableUses(stmt, catalog);
  const statistics = new Map<string, Promise<ReadonlyMap<string, ColumnStatistics>>>();
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const use of uses) {
    // Views and foreign tables take no index; their underlying tables show up where they are read.
    const kind = (use.table as Partial<DatabaseTableInfo>).kind;
    if (kind === 'view' || kind === 'foreign table') continue;
    const key = `${use.table.schema}.${use.table.name}`;
    if (!statistics.has(key)) {
      const read = catalog instanceof DatabaseCatalog ? catalog.columnStatistics(use.table).catch(() => new Map()) : Promise.resolve(new Map());
      statistics.set(key, read);
    }
    const stats = await statistics.get(key);
    for (const index of candidatesFor(use, { strategy, statistics: stats })) {
      const ddl = suggestedDdl(index);
      if (seen.has(ddl)) continue;
      seen.add(ddl);
      out.push({ index, use });
    }
  }
  return out;
}

interface Verified {
  suggestions: IndexSuggestion[];
  unverified: UnverifiedCandidate[];
  costBefore: number;
}

async function verify(verifier: Verifier, all: Candidate[], settings: AdvisorSettings, aborted: () => boolean): Promise<Verified> {
  const check = () => {
    if (aborted()) throw new Cancelled();
  };
  const baseline = await verifier.plan();
  const costBefore = baseline.totalCost;
  check();
  // A table an existing index already serves gets no new index (an INCLUDE variant would save a few
  // heap fetches at the price of a second index on the same keys).
  const served = new Set(servedTables(await verifier.planWithoutSeqScans(), [...new Set(all.map((c) => c.use))]).map((s) => s.use));
  const candidates = all.filter((c) => !served.has(c.use));
  if (candidates.length === 0) return { suggestions: [], unverified: [], costBefore };

  const suggestions: IndexSuggestion[] = [];
  const unverified = new Map<string, UnverifiedCandidate>();
  const chosen: Candidate[] = [];
  let current = costBefore;
  while (chosen.length < settings.maxIndexesPerQuery) {
    const tables = new Set(chosen.map((c) => tableLabel(c.index)));
    const round = candidates.filter((c) => !tables.has(tableLabel(c.index)));
    if (round.length === 0) break;
    const measured: (Measured & { candidate: Candidate })[] = [];
    for (const candidate of round) {
      check();
      const trial = await verifier.tryIndexes([...chosen.map((c) => c.index), candidate.index]);
      if (!trial.ok) {
        const table = tableLabel(candidate.index);
        const key = `${table}\u0000${trial.reason}`;
        if (!unverified.has(key)) unverified.set(key, { ddl: suggestedDdl(candidate.index), table, reason: trial.reason });
        continue;
      }
      const mine = trial.indexes[trial.indexes.length - 1];
      measured.push({
        candidate,
        index: candidate.index,
        cost: trial.plan.totalCost,
        used: usesIndex(trial.plan, mine.name),
        sizeBytes: mine.sizeBytes > 0 ? mine.sizeBytes : estimateIndexBytes(candidate.index, candidate.use.table),
      });
    }
    const best = chooseIndex(current, measured, settings.minCostReduction);
    if (!best) break;
    const match = measured.find((m) => m === best) as (typeof measured)[number];
    suggestions.push(toSuggestion(match.candidate, current, best.cost, best.sizeBytes, verifier.method));
    chosen.push(match.candidate);
    current = best.cost;
  }
  // A table that got a suggestion needs no word about candidates that could not be tried on it.
  const suggested = new Set(suggestions.map((s) => s.table));
  return { suggestions, unverified: [...unverified.values()].filter((u) => !suggested.has(u.table)), costBefore };
}

function usesIndex(plan: Plan, name: string): boolean {
  return plan.nodes.some((node) => node.index === name);
}

function toSuggestion(candidate: Candidate, costBefore: number, costAfter: number, sizeBytes: number, method: Verifier['method']): IndexSuggestion {
  const { index, use } = candidate;
  const relation: IndexSuggestion['relation'] = { schema: use.table.schema, name: use.table.name };
  if (use.source.rangeVar.alias?.aliasname) relation.alias = use.source.rangeVar.alias.aliasname;
  return {
    ddl: suggestedDdl(index),
    name: indexName(index),
    table: tableLabel(index),
    kind: indexKind(index),
    costBefore: round(costBefore),
    costAfter: round(costAfter),
    sizeBytes: Math.round(sizeBytes),
    verifiedBy: method,
    index,
    relation,
  };
}

function round(cost: number): number {
  return Math.round(cost * 100) / 100;
}

function failure(reason: AdviceFailure['reason'], text: string): AdviceFailure {
  return { ok: false, reason, message: text };
}

function cancelled(): AdviceFailure {
  return failure('cancelled', 'The index advice was cancelled.');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
