import { randomBytes } from 'node:crypto';
import { quoteQualified } from '../sql/identifiers';
import { indexDdl, tableLabel, tableSql, type IndexDefinition } from './index-definition';
import { formatBytes } from './format';
import { PlanningVerifier, trialFailure, type TrialIndex, type TrialOutcome, type Verifier } from './verifier';

/**
 * Verification without hypopg: each candidate is really built inside a savepoint of a transaction that
 * is rolled back, the statement is planned, and the savepoint is rolled back. Nothing is committed, and
 * no other session ever sees the index. The build holds a SHARE lock on the table (writes wait) for
 * its duration, so it waits at most lock_timeout for the table and is refused for tables larger than
 * `maxTableBytesForRealIndex`.
 *
 * A build that met HOT chains still visible to older transactions sets pg_index.indcheckxmin: the
 * planner then ignores the index in the very transaction that made it. Its plan would say "no gain"
 * when the truth is "unknown", so such a candidate is reported as not verifiable instead.
 */
export class TransactionVerifier extends PlanningVerifier implements Verifier {
  readonly method = 'transaction' as const;
  private readonly tableBytes = new Map<string, Promise<number>>();
  private readonly prefix = `pglens_trial_${randomBytes(3).toString('hex')}`;
  private trials = 0;

  async begin(): Promise<void> {
    await this.openTransaction('READ WRITE');
  }

  async tryIndexes(indexes: readonly IndexDefinition[]): Promise<TrialOutcome> {
    for (const index of indexes) {
      const bytes = await this.sizeOf(index);
      if (bytes > this.settings.maxTableBytesForRealIndex) {
        return {
          ok: false,
          reason: `${tableLabel(index)} is ${formatBytes(bytes)}, more than advisor.maxTableBytesForRealIndex (${formatBytes(this.settings.maxTableBytesForRealIndex)}), so the index was not built to test it; install hypopg to verify it without building it`,
        };
      }
    }
    await this.session.control(['SAVEPOINT pglens_trial']);
    try {
      const built: TrialIndex[] = [];
      for (const index of indexes) {
        const name = `${this.prefix}_${++this.trials}`;
        await this.session.query(indexDdl(index, { name }));
        const { rows } = await this.session.query<{ checkxmin: boolean; size: string }>(
          'SELECT indcheckxmin AS checkxmin, pg_relation_size(indexrelid) AS size FROM pg_index WHERE indexrelid = $1::regclass',
          [quoteQualified(name, index.schema)],
        );
        if (rows[0]?.checkxmin) {
          return {
            ok: false,
            reason: `${tableLabel(index)} has recently updated rows that older transactions still see, so PostgreSQL would not use an index built now in the same transaction; run VACUUM ${tableSql(index)} and ask again, or install hypopg`,
          };
        }
        built.push({ name, sizeBytes: Number(rows[0]?.size ?? 0) });
      }
      const plan = await this.planner.plan();
      return { ok: true, plan, indexes: built };
    } catch (error) {
      return { ok: false, reason: `the index could not be built to test it: ${trialFailure(error, this.settings)}` };
    } finally {
      await this.session.control(['ROLLBACK TO SAVEPOINT pglens_trial', 'RELEASE SAVEPOINT pglens_trial']).catch(() => undefined);
    }
  }

  async end(): Promise<void> {
    await this.session.control(['ROLLBACK']).catch(() => undefined);
    await this.planner.release();
  }

  private sizeOf(index: IndexDefinition): Promise<number> {
    const key = quoteQualified(index.table, index.schema);
    let bytes = this.tableBytes.get(key);
    if (!bytes) {
      bytes = this.session.query<{ bytes: string }>('SELECT pg_table_size($1::regclass) AS bytes', [key]).then((r) => Number(r.rows[0]?.bytes ?? 0));
      this.tableBytes.set(key, bytes);
    }
    return bytes;
  }
}
