import { statementType } from '../db/ast';
import type { Session } from '../db/queryable';
import type { Plan } from '../plan/model';
import { parsePlan } from '../plan/parse';
import { parseSql } from '../sql/parse';

/**
 * EXPLAIN (without ANALYZE: nothing runs) of one statement on one held connection, inside the
 * transaction the verifier opened, so hypothetical and rolled-back indexes are seen. Every call plans
 * afresh — a prepared statement's cached plan would not notice a new index. Counts the planner calls.
 *
 * `$n` parameters: with values, the plan for those values; without, the generic plan
 * (GENERIC_PLAN on 16+, PREPARE with plan_cache_mode = force_generic_plan before).
 */
export interface PlannedStatement {
  text: string;
  parameterCount: number;
  /** Values for every `$n`, or undefined for the generic plan. */
  values?: unknown[];
}

export class Planner {
  calls = 0;
  private prepared = 0;
  /** Prepared statements a failed transaction kept us from deallocating. */
  private readonly leftover = new Set<string>();

  constructor(
    private readonly session: Session,
    private readonly versionNum: number,
    private readonly statement: PlannedStatement,
  ) {}

  /** Statements the transaction must start with for this statement's plans (SET LOCAL …). */
  transactionSettings(): string[] {
    if (!this.generic()) return [];
    return this.versionNum >= 160000 && this.session.simple ? ['SET LOCAL standard_conforming_strings = on'] : ['SET LOCAL plan_cache_mode = force_generic_plan'];
  }

  async plan(): Promise<Plan> {
    this.calls++;
    const json = await this.explain();
    const parsed = parsePlan(json);
    if (!parsed.ok) throw new Error(`PostgreSQL returned a plan pglens cannot read: ${parsed.message}`);
    return parsed.plan;
  }

  private generic(): boolean {
    return this.statement.parameterCount > 0 && this.statement.values === undefined;
  }

  private async explain(): Promise<unknown> {
    const { text, values } = this.statement;
    if (!this.generic()) return extractJson(await this.session.query(`EXPLAIN (FORMAT JSON) ${text}`, values));
    const simple = this.session.simple;
    if (this.versionNum >= 160000 && simple) {
      // `$n` without values cannot go over the extended protocol; the text was checked to be one statement.
      const wrapped = `EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${text}`;
      if (!isSingleExplain(wrapped)) throw new Error('the statement could not be wrapped in EXPLAIN safely');
      return extractJson(await simple.call(this.session, wrapped));
    }
    const name = `pglens_advise_${process.pid}_${++this.prepared}`;
    const nulls = Array.from({ length: this.statement.parameterCount }, () => 'NULL').join(', ');
    this.leftover.add(name);
    try {
      await this.session.query(`PREPARE ${name} AS ${text}`);
      return extractJson(await this.session.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}(${nulls})`));
    } finally {
      // Prepared statements outlive a ROLLBACK; in an aborted transaction DEALLOCATE fails too, and
      // `release()` retries after the ROLLBACK.
      await this.session.control([`DEALLOCATE ${name}`]).then(() => this.leftover.delete(name), () => undefined);
    }
  }

  /** Deallocates what an aborted transaction left; call after ROLLBACK. */
  async release(): Promise<void> {
    for (const name of [...this.leftover]) {
      await this.session.control([`DEALLOCATE ${name}`]).catch(() => undefined);
      this.leftover.delete(name);
    }
  }
}

function isSingleExplain(text: string): boolean {
  const parsed = parseSql(text);
  return parsed.ok && parsed.statements.length === 1 && statementType(parsed.statements[0].stmt) === 'ExplainStmt';
}

/** `[{ "QUERY PLAN": [ {…} ] }]` → `{…}`; PGlite and pg may hand the JSON over as text. */
function extractJson(result: { rows: unknown[] }): unknown {
  const row = result.rows[0] as Record<string, unknown> | undefined;
  let value = row ? Object.values(row)[0] : undefined;
  if (typeof value === 'string') value = JSON.parse(value) as unknown;
  return Array.isArray(value) ? value[0] : value;
}
