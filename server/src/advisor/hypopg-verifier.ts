import type { Session } from '../db/queryable';
import { quoteIdent } from '../sql/identifiers';
import { indexDdl, type IndexDefinition } from './index-definition';
import type { Planner } from './planner';
import type { AdvisorSettings } from './settings';
import { PlanningVerifier, trialFailure, type TrialOutcome, type Verifier } from './verifier';

/**
 * Verification with hypopg: hypothetical indexes live in this backend's memory only, are seen by the
 * planner and by nothing else, and cost nothing to make. They ignore ROLLBACK, so every one is dropped
 * after its trial and `hypopg_reset()` runs at the start and the end.
 */
export class HypopgVerifier extends PlanningVerifier implements Verifier {
  readonly method = 'hypopg' as const;
  private readonly fn: (name: string) => string;

  constructor(
    session: Session,
    planner: Planner,
    /** The schema hypopg's functions live in. */
    schema: string,
    settings: AdvisorSettings,
  ) {
    super(session, planner, settings);
    this.fn = (name) => `${quoteIdent(schema)}.${name}`;
  }

  async begin(): Promise<void> {
    await this.openTransaction('READ ONLY');
    await this.session.query(`SELECT ${this.fn('hypopg_reset')}()`);
  }

  async tryIndexes(indexes: readonly IndexDefinition[]): Promise<TrialOutcome> {
    const created: string[] = [];
    // A failing hypopg_create_index (a non-immutable expression) must not abort the whole transaction.
    await this.session.control(['SAVEPOINT pglens_trial']);
    try {
      const names: string[] = [];
      for (const index of indexes) {
        const { rows } = await this.session.query<{ indexrelid: number; indexname: string }>(
          `SELECT indexrelid, indexname FROM ${this.fn('hypopg_create_index')}($1)`,
          [indexDdl(index, { anonymous: true })],
        );
        created.push(String(rows[0].indexrelid));
        names.push(rows[0].indexname);
      }
      const plan = await this.planner.plan();
      const { rows: sizes } = await this.session.query<{ size: string }>(
        `SELECT ${this.fn('hypopg_relation_size')}(oid) AS size FROM unnest($1::oid[]) WITH ORDINALITY AS t(oid, n) ORDER BY n`,
        [created],
      );
      await this.session.control(['RELEASE SAVEPOINT pglens_trial']);
      return { ok: true, plan, indexes: names.map((name, i) => ({ name, sizeBytes: Number(sizes[i]?.size ?? 0) })) };
    } catch (error) {
      await this.session.control(['ROLLBACK TO SAVEPOINT pglens_trial', 'RELEASE SAVEPOINT pglens_trial']).catch(() => undefined);
      return { ok: false, reason: `hypopg could not try it: ${trialFailure(error, this.settings)}` };
    } finally {
      for (const oid of created) await this.session.query(`SELECT ${this.fn('hypopg_drop_index')}($1)`, [oid]).catch(() => undefined);
    }
  }

  async end(): Promise<void> {
    await this.session.control(['ROLLBACK']).catch(() => undefined);
    await this.session.query(`SELECT ${this.fn('hypopg_reset')}()`).catch(() => undefined);
    await this.planner.release();
  }
}
