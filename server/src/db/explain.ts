import type { Node } from 'libpg-query';
import type { CancelSignal } from '../cancel-signal';
import { nextTurn } from '../next-turn';
import { isParserLoaded, loadParser, parsedAlone, parseSql, type ParsedStatement } from '../sql/parse';
import { statementType } from './ast';
import { knownStatementKey, LruCache, statementKey } from './plan-cache';
import { explainFailure, locateError, type ExplainFailure } from './explain-errors';
import { parameterSources, sampleParameters } from './parameter-samples';
import type { Database, Session } from './queryable';
import { rollbackHazard } from './rollback-safety';
import { SchemaFingerprint } from './schema-fingerprint';
import { statementFacts, type StatementFacts } from './statement-facts';

/**
 * The safe EXPLAIN runner: exactly one statement, its kind read from the AST, never anything that
 * could change data unless the user opted in — and even then only what a ROLLBACK undoes.
 *
 * - SELECTs run inside `BEGIN READ ONLY … ROLLBACK` under statement_timeout and lock_timeout (SET LOCAL,
 *   unless the connection already runs with the values asked for). A plain EXPLAIN, which executes
 *   nothing, on a connection that is read-only by default with those timeouts goes as one message.
 * - Statements on a pipelined connection go out together: one round trip per EXPLAIN.
 * - Writes get plain EXPLAIN; with `analyzeWrites: 'rollback'`, EXPLAIN ANALYZE inside BEGIN … ROLLBACK.
 * - ANALYZE, of reads and writes alike, is refused when something would escape the rollback: sequences,
 *   dblink and other built-ins that act outside the transaction, volatile functions defined in the
 *   database (called, or read through a view), triggers, rules, cascades, foreign tables (rollback-safety).
 * - `$n` parameters: the generic plan (GENERIC_PLAN on 16+, PREPARE + force_generic_plan before).
 * - The statement is sent with the extended protocol, so the server itself refuses a second one — except
 *   a plain EXPLAIN without `$n` whose text is ASCII without backslashes: it goes as a simple query (as
 *   `psql` would send it), because such text lexes the same whatever the connection's
 *   standard_conforming_strings, backslash_quote or client_encoding, so the server sees the one
 *   statement our parser saw, behind `EXPLAIN (FORMAT JSON) `.
 */
export interface ExplainOptions {
  /** Run the statement (EXPLAIN ANALYZE) for real timings and row counts. Default false. */
  analyze?: boolean;
  /** Buffer counts with ANALYZE. Default: on with ANALYZE. */
  buffers?: boolean;
  /** `rollback`: writes may be ANALYZEd inside a transaction that is rolled back. Default `never`. */
  analyzeWrites?: 'never' | 'rollback';
  /** Values for `$1`, `$2`, … used by ANALYZE; missing ones are sampled from the compared columns. */
  params?: readonly unknown[];
  /** Default 5000. */
  statementTimeoutMs?: number;
  /** Default 1000. */
  lockTimeoutMs?: number;
  /** Aborting cancels the query on the server and resolves at once with `cancelled`. */
  signal?: CancelSignal;
  /** Reuse a plan from the cache when the statement, options and schema are unchanged. Default true. */
  cache?: boolean;
  /**
   * The statement as the caller already parsed it (parseSql, e.g. the analysis pass), so it is not
   * parsed again; used only when `sql` is exactly that statement's text (see parsedAlone), else `sql`
   * is parsed as without it.
   */
  statement?: ParsedStatement;
}

export interface ExplainSuccess {
  ok: true;
  /** EXPLAIN's JSON document (the one element of the array PostgreSQL returns); see plan/parse.ts. */
  json: unknown;
  /** True when the statement ran (ANALYZE). */
  analyzed: boolean;
  /** True when `$n` parameters were planned generically, without values. */
  genericPlan: boolean;
  statementKind: 'read' | 'write';
  /** `SELECT`, `INSERT`, `WITH … DELETE`, … */
  command: string;
  /** Why ANALYZE was asked for but not done; the plan shown is the estimated one. */
  analyzeSkipped?: string;
  /** Other things worth showing, e.g. which values were sampled for parameters. */
  notes: string[];
  fromCache: boolean;
  /** Milliseconds this call took. */
  durationMs: number;
}

export type { ExplainFailure } from './explain-errors';
export type ExplainOutcome = ExplainSuccess | ExplainFailure;

export interface ExplainRunnerOptions {
  /** Plans kept. Default 500. */
  cacheSize?: number;
  /** How long a read of the schema fingerprint is trusted, in milliseconds. Default 1000. */
  schemaCheckIntervalMs?: number;
}

interface Defaults {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

const DEFAULTS: Defaults = { statementTimeoutMs: 5_000, lockTimeoutMs: 1_000 };

/** A schema fingerprint known now, or one being read. */
interface FingerprintRead {
  known?: string;
  reading?: Promise<string | undefined>;
}

/** What will be sent, decided before a connection is taken. */
interface Plan {
  text: string;
  stmt: Node;
  facts: StatementFacts;
  analyze: boolean;
  buffers: boolean;
  values: unknown[] | undefined;
  generic: boolean;
  write: boolean;
  analyzeSkipped?: string;
  notes: string[];
  timeouts: Defaults;
}

export class ExplainRunner {
  private readonly cache: LruCache<ExplainSuccess>;
  private readonly fingerprint: SchemaFingerprint;
  private prepared = 0;

  constructor(
    private readonly db: Database,
    options: ExplainRunnerOptions = {},
  ) {
    this.cache = new LruCache(options.cacheSize ?? 500);
    this.fingerprint = new SchemaFingerprint(db, options.schemaCheckIntervalMs ?? 1_000);
  }

  async explain(sql: string, options: ExplainOptions = {}): Promise<ExplainOutcome> {
    const started = performance.now();
    const done = <T extends ExplainOutcome>(outcome: T): T => {
      if (outcome.ok) outcome.durationMs = performance.now() - started;
      return outcome;
    };
    if (!isParserLoaded()) await loadParser();
    let statement = options.statement && parsedAlone(options.statement, sql);
    if (!statement) {
      const parsed = parseSql(sql);
      if (!parsed.ok) return { ok: false, reason: 'syntax', message: `The query does not parse (${parsed.message}); fix the syntax first.`, offset: parsed.offset };
      if (parsed.statements.length === 0) return { ok: false, reason: 'empty', message: 'There is no statement to explain.' };
      if (parsed.statements.length > 1) {
        return {
          ok: false,
          reason: 'multiple-statements',
          message: `The text holds ${parsed.statements.length} statements; pglens explains exactly one at a time, so explain them separately.`,
        };
      }
      statement = parsed.statements[0];
    }
    const facts = statementFacts(statement.stmt);
    if (facts.statement.kind === 'refused') return { ok: false, reason: 'not-explainable', message: facts.statement.reason };
    if (options.signal?.aborted) return cancelled();

    let versionNum: number;
    const cacheable = options.cache !== false;
    // A text keyed before is looked up before anything is sent. A new text's key (its AST serialised
    // and hashed) is worked out while its EXPLAIN is on the wire, and a hit then answers at once.
    let identity = cacheable ? knownCacheKey(sql, statement, options) : undefined;
    let fingerprint: FingerprintRead | undefined;
    try {
      versionNum = await this.db.serverVersionNum();
      if (cacheable) fingerprint = await this.fingerprintFor(identity);
    } catch (error) {
      return explainFailure(error, { aborted: false, timeouts: timeoutsOf(options) });
    }
    const hit = identity !== undefined && fingerprint?.known !== undefined ? this.cache.get(planKey(identity, fingerprint.known)) : undefined;
    if (hit) return done(fromCache(hit));

    const plan = planRun(sql, statement, facts, options);
    const running = this.withCancellation(options.signal, (session, aborted) => this.run(session, plan, versionNum, aborted, statement));
    if (cacheable && identity === undefined) {
      await nextTurn(); // the EXPLAIN has been written by now (unless the pool had to open a connection)
      identity = cacheKey(sql, statement, options);
      const late = fingerprint && (await this.lateHit(identity, fingerprint));
      if (late) return done(fromCache(late));
    }
    const outcome = await running;
    const storedUnder = fingerprint?.known ?? (await fingerprint?.reading);
    if (outcome.ok && identity !== undefined && storedUnder !== undefined) this.cache.set(planKey(identity, storedUnder), { ...outcome, notes: [...outcome.notes] });
    return done(outcome);
  }

  /**
   * The schema fingerprint to look `identity` up under. A recent one is used as it is; an old one is
   * read again first only when it would give a hit. Otherwise a plan is needed whatever the fingerprint
   * says, so the new read goes beside the EXPLAIN (`reading`, undefined if it fails), not before it.
   */
  private async fingerprintFor(identity: string | undefined): Promise<FingerprintRead> {
    const fresh = this.fingerprint.fresh();
    if (fresh !== undefined) return { known: fresh };
    if (identity !== undefined && this.cachedUnderLast(identity)) return { known: await this.fingerprint.current() };
    return { reading: this.fingerprint.current().catch(() => undefined) };
  }

  /** True when a plan for `identity` is cached under the last fingerprint read: a new read may make it a hit. */
  private cachedUnderLast(identity: string): boolean {
    const last = this.fingerprint.last;
    return last !== undefined && this.cache.has(planKey(identity, last));
  }

  /**
   * The plan cached under `identity` (worked out after the EXPLAIN went out) for the current schema.
   * A fingerprint still being read is waited for only when the plan is cached under the last one.
   */
  private async lateHit(identity: string, fingerprint: FingerprintRead): Promise<ExplainSuccess | undefined> {
    const current = fingerprint.known ?? (this.cachedUnderLast(identity) ? await fingerprint.reading : undefined);
    return current !== undefined ? this.cache.get(planKey(identity, current)) : undefined;
  }

  /**
   * The plan the cache holds for `sql`, without waiting: undefined unless the statement comes parsed
   * (`options.statement`), its text was keyed before, the schema fingerprint was read recently and the
   * plan is cached. A hover on a query the diagnostics pass already planned answers from here at once.
   */
  cached(sql: string, options: ExplainOptions = {}): ExplainSuccess | undefined {
    const statement = options.cache !== false && options.statement ? parsedAlone(options.statement, sql) : undefined;
    const fingerprint = statement && this.fingerprint.fresh();
    if (!statement || fingerprint === undefined) return undefined;
    const identity = knownCacheKey(sql, statement, options);
    const hit = identity !== undefined ? this.cache.get(planKey(identity, fingerprint)) : undefined;
    return hit && { ...fromCache(hit), durationMs: 0 };
  }

  clearCache(): void {
    this.cache.clear();
    this.fingerprint.invalidate();
  }

  /** Runs `work` on a session; an abort cancels the server-side query and resolves immediately. */
  private withCancellation(
    signal: CancelSignal | undefined,
    work: (session: Session, aborted: () => boolean) => Promise<ExplainOutcome>,
  ): Promise<ExplainOutcome> {
    return new Promise<ExplainOutcome>((resolve) => {
      let session: Session | undefined;
      const onAbort = () => {
        if (session) void this.db.cancel(session);
        resolve(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.db
        .withSession((s) => {
          session = s;
          if (signal?.aborted) return Promise.resolve(cancelled());
          const outcome = work(s, () => signal?.aborted ?? false);
          // The answer goes out now; handing the connection back to the pool comes after.
          void outcome.then(resolve, () => undefined);
          return outcome;
        })
        .then(resolve, (error: unknown) => resolve(explainFailure(error, { aborted: signal?.aborted ?? false, timeouts: DEFAULTS })))
        .finally(() => signal?.removeEventListener('abort', onAbort));
    });
  }

  private async run(session: Session, plan: Plan, versionNum: number, aborted: () => boolean, statement: ParsedStatement): Promise<ExplainOutcome> {
    const context = { aborted: false, timeouts: plan.timeouts, statementStart: statement.start };
    try {
      if (plan.analyze) await this.prepareAnalyze(session, plan);
      if (aborted()) return cancelled();
      const json = plan.analyze ? await this.explainAnalyze(session, plan) : await this.explainPlain(session, plan, versionNum);
      return success(plan, json);
    } catch (error) {
      context.aborted = aborted();
      const failure = explainFailure(error, context);
      // A SELECT that turned out to write (a volatile function) fails under READ ONLY: show the estimate.
      if (failure.reason === 'read-only' && plan.analyze && !plan.write && !context.aborted) {
        const fallback: Plan = {
          ...plan,
          analyze: false,
          buffers: false,
          analyzeSkipped: `ANALYZE was stopped: the query tried to write (${failure.detail ?? 'read-only transaction'}), probably in a function it calls, so only the estimated plan is shown`,
        };
        try {
          return success(fallback, await this.explainPlain(session, fallback, versionNum));
        } catch (second) {
          return explainFailure(second, context);
        }
      }
      return failure;
    }
  }

  /** Fills in parameter values and checks that a rollback undoes all the statement does; may downgrade to plain EXPLAIN. */
  private async prepareAnalyze(session: Session, plan: Plan): Promise<void> {
    const count = plan.facts.parameterCount;
    if (count > 0) {
      const values = Array.from({ length: count }, (_, i) => plan.values?.[i]);
      const missing = values.map((v, i) => (v === undefined ? i + 1 : 0)).filter(Boolean);
      if (missing.length) {
        const sources = parameterSources(plan.stmt);
        const samples = await sampleParameters(sources.filter((s) => missing.includes(s.parameter)), session);
        for (const sample of samples) {
          values[sample.parameter - 1] = sample.value;
          plan.notes.push(`$${sample.parameter} = ${truncate(sample.value)} (sampled from ${sample.relation.name}.${sample.column})`);
        }
      }
      const unfilled = values.map((v, i) => (v === undefined ? `$${i + 1}` : '')).filter(Boolean);
      if (unfilled.length) {
        downgrade(plan, `ANALYZE needs a value for ${unfilled.join(', ')} and none could be sampled; pass parameter values to run it`);
        return;
      }
      plan.values = values;
    }
    // Reads too: READ ONLY stops a write in this transaction, not one a function makes elsewhere (dblink).
    const hazard = await rollbackHazard(plan.facts, session);
    if (hazard) downgrade(plan, `ANALYZE was not run: ${hazard}; the estimated plan is shown instead`);
  }

  private async explainPlain(session: Session, plan: Plan, versionNum: number): Promise<unknown> {
    const settings = timeoutSettings(plan.timeouts, session);
    const begin = ['BEGIN READ ONLY', ...settings];
    if (plan.facts.parameterCount === 0) {
      // No values to bind: where the text lexes the same on any connection, the simple protocol (one
      // Query message, as bare `pg` sends it) carries exactly the one statement the parser saw.
      const simple = session.simple && lexesAlike(plan.text) ? session.simple : undefined;
      const send = () => sendStatement(session, 'EXPLAIN (FORMAT JSON) ', plan.text, undefined, simple && ((text) => simple.call(session, text)));
      if (session.readOnlyByDefault && settings.length === 0) {
        // EXPLAIN without ANALYZE executes nothing, and this connection's every transaction is already
        // read-only with the timeouts asked for: one message, one round trip.
        return extractJson(await send());
      }
      return this.inTransaction(session, begin, send);
    }
    const simple = session.simple;
    if (versionNum >= 160000 && simple) {
      // The extended protocol cannot carry `$n` without values, so this one goes as a simple query: the
      // server lexes it as our parser did (standard_conforming_strings on) and it parses as one statement.
      const prefix = 'EXPLAIN (GENERIC_PLAN, FORMAT JSON) ';
      if (!isSingleStatement(prefix + plan.text)) throw new Error('the statement could not be wrapped in EXPLAIN safely');
      return this.inTransaction(session, [...begin, 'SET LOCAL standard_conforming_strings = on'], () =>
        sendStatement(session, prefix, plan.text, undefined, (text) => simple.call(session, text)),
      );
    }
    // Before 16, or without a simple protocol: plan a prepared statement with the generic plan forced
    // (the NULLs are never used). It gives the same plan as GENERIC_PLAN.
    const name = `pglens_explain_${++this.prepared}`;
    const nulls = Array.from({ length: plan.facts.parameterCount }, () => 'NULL').join(', ');
    try {
      return await this.inTransaction(session, [...begin, 'SET LOCAL plan_cache_mode = force_generic_plan'], () => {
        const prepare = sendStatement(session, `PREPARE ${name} AS `, plan.text);
        const explain = session.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}(${nulls})`);
        return settleInOrder(prepare, explain);
      });
    } finally {
      // Prepared statements outlive a ROLLBACK.
      await session.control([`DEALLOCATE ${name}`]).catch(() => undefined);
    }
  }

  private async explainAnalyze(session: Session, plan: Plan): Promise<unknown> {
    const options = ['ANALYZE', ...(plan.buffers ? ['BUFFERS'] : []), 'FORMAT JSON'].join(', ');
    const prefix = `EXPLAIN (${options}) `;
    if (!plan.write) {
      return this.inTransaction(session, ['BEGIN READ ONLY', ...timeoutSettings(plan.timeouts, session)], () => sendStatement(session, prefix, plan.text, plan.values));
    }
    // A write runs for real: BEGIN must have succeeded before it is sent, so never pipeline past it.
    await session.control(['BEGIN READ WRITE', ...timeoutSettings(plan.timeouts, session)]);
    let result: { rows: unknown[] };
    try {
      result = await sendStatement(session, prefix, plan.text, plan.values);
    } catch (error) {
      await session.control(['ROLLBACK']).catch(() => undefined);
      throw error;
    }
    await session.control(['ROLLBACK']);
    return extractJson(result);
  }

  /** BEGIN …; the statement; ROLLBACK — sent together on a pipelined connection, in turn otherwise. */
  private async inTransaction(session: Session, begin: string[], statement: () => Promise<{ rows: unknown[] }>): Promise<unknown> {
    if (!session.pipelined) {
      await session.control(begin);
      let result: { rows: unknown[] };
      try {
        result = await statement();
      } catch (error) {
        await session.control(['ROLLBACK']).catch(() => undefined);
        throw error;
      }
      await session.control(['ROLLBACK']);
      return extractJson(result);
    }
    const started = session.control(begin);
    const result = statement();
    const rolledBack = session.control(['ROLLBACK']);
    const [b, r, e] = await Promise.allSettled([started, result, rolledBack]);
    if (b.status === 'rejected') throw b.reason;
    if (r.status === 'rejected') throw r.reason;
    if (e.status === 'rejected') throw e.reason;
    return extractJson(r.value);
  }
}

function planRun(sql: string, statement: ParsedStatement, facts: StatementFacts, options: ExplainOptions): Plan {
  const write = facts.statement.kind === 'write';
  const plan: Plan = {
    text: sql.slice(statement.start, statement.end),
    stmt: statement.stmt,
    facts,
    analyze: options.analyze ?? false,
    buffers: options.buffers ?? options.analyze ?? false,
    values: options.params ? [...options.params] : undefined,
    generic: false,
    write,
    notes: [],
    timeouts: timeoutsOf(options),
  };
  if (plan.analyze && write && options.analyzeWrites !== 'rollback') {
    downgrade(
      plan,
      `ANALYZE was not run because it would execute the ${facts.statement.command}; set analyzeWrites to "rollback" to run it inside a transaction that is rolled back`,
    );
  }
  if (plan.analyze && !write && facts.sequenceCalls.length) {
    downgrade(plan, `ANALYZE was not run: the query calls ${facts.sequenceCalls[0]}(), and sequences do not roll back`);
  }
  if (!plan.analyze && facts.parameterCount > 0) plan.generic = true;
  return plan;
}

function downgrade(plan: Plan, reason: string): void {
  plan.analyze = false;
  plan.buffers = false;
  plan.analyzeSkipped = reason;
  if (plan.facts.parameterCount > 0) plan.generic = true;
}

function timeoutsOf(options: ExplainOptions): Defaults {
  return {
    statementTimeoutMs: positive(options.statementTimeoutMs) ?? DEFAULTS.statementTimeoutMs,
    lockTimeoutMs: positive(options.lockTimeoutMs) ?? DEFAULTS.lockTimeoutMs,
  };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}

/** SET LOCAL for the timeouts the session does not already run with. */
function timeoutSettings(timeouts: Defaults, session: Session): string[] {
  const settings: string[] = [];
  if (session.defaults?.statementTimeoutMs !== timeouts.statementTimeoutMs) settings.push(`SET LOCAL statement_timeout = ${timeouts.statementTimeoutMs}`);
  if (session.defaults?.lockTimeoutMs !== timeouts.lockTimeoutMs) settings.push(`SET LOCAL lock_timeout = ${timeouts.lockTimeoutMs}`);
  return settings;
}

/** A cached plan handed out: a copy, so a caller's notes never change the cache's. */
function fromCache(hit: ExplainSuccess): ExplainSuccess {
  return { ...hit, notes: [...hit.notes], fromCache: true };
}

/** Where a plan is cached: the statement's identity (cacheKey) under the schema it was planned on. */
function planKey(identity: string, fingerprint: string): string {
  return `${identity}|${fingerprint}`;
}

/** The statement and the options that change its plan: white space, comments and case do not. */
function cacheKey(sql: string, statement: ParsedStatement, options: ExplainOptions): string {
  return withOptions(statementKey(sql.slice(statement.start, statement.end), statement.stmt), options);
}

/** cacheKey when this statement's text was keyed before (cheap); undefined when it would be worked out. */
function knownCacheKey(sql: string, statement: ParsedStatement, options: ExplainOptions): string | undefined {
  const key = knownStatementKey(sql.slice(statement.start, statement.end));
  return key === undefined ? undefined : withOptions(key, options);
}

function withOptions(statement: string, options: ExplainOptions): string {
  const relevant = {
    a: options.analyze ?? false,
    b: options.buffers ?? options.analyze ?? false,
    w: options.analyzeWrites ?? 'never',
    p: options.analyze ? options.params ?? null : null,
  };
  return `${statement}|${JSON.stringify(relevant)}`;
}

/** Sends the user's statement behind `prefix`; a failure remembers where in the statement it is. */
async function sendStatement(
  session: Session,
  prefix: string,
  text: string,
  values?: unknown[],
  send: (text: string) => Promise<{ rows: unknown[] }> = (t) => session.query(t, values),
): Promise<{ rows: unknown[] }> {
  try {
    return await send(prefix + text);
  } catch (error) {
    locateError(error, prefix.length);
    throw error;
  }
}

/**
 * True when `text` is ASCII without a backslash. Only backslashes (standard_conforming_strings,
 * backslash_quote, E'' strings) and multi-byte characters (client_encoding) make PostgreSQL's lexer
 * depend on the connection's settings; without them the server splits the text exactly as our parser
 * did, so a statement our parser read as one is one for the server too.
 */
function lexesAlike(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x01-\x5b\x5d-\x7f]*$/.test(text);
}

function isSingleStatement(text: string): boolean {
  const parsed = parseSql(text);
  return parsed.ok && parsed.statements.length === 1 && statementType(parsed.statements[0].stmt) === 'ExplainStmt';
}

/** The first promise's failure wins (PREPARE before EXPLAIN EXECUTE): it says what went wrong. */
async function settleInOrder<T>(first: Promise<unknown>, second: Promise<T>): Promise<T> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return b.value;
}

/** `[{ "QUERY PLAN": [ {…} ] }]` → `{…}`; PGlite and pg may hand the JSON over as text. */
function extractJson(result: { rows: unknown[] }): unknown {
  const row = result.rows[0] as Record<string, unknown> | undefined;
  let value = row ? Object.values(row)[0] : undefined;
  if (typeof value === 'string') value = JSON.parse(value) as unknown;
  return Array.isArray(value) ? value[0] : value;
}

function success(plan: Plan, json: unknown): ExplainSuccess {
  const outcome: ExplainSuccess = {
    ok: true,
    json,
    analyzed: plan.analyze,
    genericPlan: plan.generic,
    statementKind: plan.write ? 'write' : 'read',
    command: plan.facts.statement.command,
    notes: plan.notes,
    fromCache: false,
    durationMs: 0,
  };
  if (plan.analyzeSkipped) outcome.analyzeSkipped = plan.analyzeSkipped;
  return outcome;
}

function cancelled(): ExplainFailure {
  return { ok: false, reason: 'cancelled', message: 'The EXPLAIN was cancelled.' };
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}…` : value;
}
