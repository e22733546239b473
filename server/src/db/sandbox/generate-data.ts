import type { SandboxProblem } from './apply-migrations';
import { withIndexesSetAside } from './deferred-indexes';
import { asPostgresError, quoteIdent, type SqlExecutor } from './executor';
import type { FillPlan, FillStep } from './fill-plan';
import { MissingParentError, prepareInsert, UnsupportedColumnError } from './insert-statement';
import { KeyTables, qualified } from './key-tables';
import type { ForeignKey, TableStructure } from './structure';

/**
 * Fills tables with synthetic rows, set-based: one `INSERT … SELECT … FROM generate_series` per batch.
 * Foreign keys take values from the parent's existing keys (numbered once in a temporary table, picked
 * with a skew so some parents have many children, as real customers do); unique keys derive from the row
 * number; CHECK constraints are applied as a filter with their own expression, topping up until the
 * declared count is reached; ON CONFLICT DO NOTHING is added only where a key could repeat (seed rows,
 * short varchar keys). For speed, foreign-key triggers are off during the load (the values hold by
 * construction) and a big table's plain indexes are rebuilt after it instead of updated row by row.
 */
export interface TableFill {
  table: string;
  requested: number;
  inserted: number;
  ms: number;
}

export interface DataOutcome {
  tables: TableFill[];
  problems: SandboxProblem[];
}

export type DataProgress = (table: string, inserted: number, requested: number) => void;

/** Rows per INSERT: keeps each statement's memory bounded and lets progress move on big tables. */
const BATCH_ROWS = 250_000;
/** Batches in a row that may come up short (CHECK filters, clashes) before a table is given up on. */
const MAX_SHORT_BATCHES = 6;

export async function generateData(db: SqlExecutor, plan: FillPlan, onProgress?: DataProgress): Promise<DataOutcome> {
  const keys = new KeyTables(db);
  const tables: TableFill[] = [];
  const problems: SandboxProblem[] = [];
  // Foreign keys hold by construction (values come from the parents' keys), so their per-row trigger
  // checks, and the user's own triggers, are skipped while loading: about half the load time.
  const replica = await db.exec('SET session_replication_role = replica').then(() => true, () => false);
  try {
    for (const step of plan.steps) {
      const started = performance.now();
      try {
        const inserted = await fillTable(db, keys, step, problems, (n) => onProgress?.(step.table.id, n, step.rows));
        tables.push({ table: step.table.id, requested: step.rows, inserted, ms: performance.now() - started });
        if (inserted < step.rows) {
          problems.push({
            phase: 'data',
            message: `Generated ${inserted.toLocaleString('en-US')} of ${step.rows.toLocaleString('en-US')} rows for ${step.table.id}: its constraints rejected the rest, so plans see fewer rows; lower the count in .pglens.json or seed the table in a migration.`,
          });
        }
      } catch (error) {
        tables.push({ table: step.table.id, requested: step.rows, inserted: 0, ms: performance.now() - started });
        problems.push({ phase: 'data', message: generationFailure(step.table, error) });
      }
    }
    keys.forget(); // parents are complete now: the deferred pass numbers them afresh
    for (const step of plan.steps) {
      for (const fk of step.deferred) {
        try {
          await fillDeferred(db, keys, step.table, fk);
        } catch (error) {
          problems.push({ phase: 'data', message: `Could not fill ${step.table.id}.${fk.columns.join(', ')} (${asPostgresError(error).message}); those references stay NULL.` });
        }
      }
    }
  } finally {
    await keys.dropAll();
    if (replica) await db.exec('RESET session_replication_role').catch(() => undefined);
  }
  return { tables, problems };
}

function generationFailure(table: TableStructure, error: unknown): string {
  if (error instanceof UnsupportedColumnError || error instanceof MissingParentError) return error.message;
  const pg = asPostgresError(error);
  return `Could not generate rows for ${table.id}: ${pg.message}${pg.detail ? ` (${pg.detail})` : ''}. Give the table a smaller row count or seed it in a migration.`;
}

async function fillTable(
  db: SqlExecutor,
  keys: KeyTables,
  step: FillStep,
  problems: SandboxProblem[],
  progress: (inserted: number) => void,
): Promise<number> {
  if (step.rows === 0) return 0;
  const insert = await prepareInsert(db, keys, step);
  if (!insert) return 0;
  return withIndexesSetAside(db, step, !insert.guard, problems, async () => {
    let inserted = 0;
    let next = 1;
    let passRate = 1;
    let shortBatches = 0;
    while (inserted < step.rows && shortBatches < MAX_SHORT_BATCHES) {
      const want = Math.min(BATCH_ROWS, step.rows - inserted);
      const generate = Math.ceil(passRate >= 1 ? want : (want / passRate) * 1.2);
      const result = await db.query<{ n: number }>(insert.statement(next, next + generate - 1, want));
      const got = Number(result.rows[0]?.n ?? 0);
      next += generate;
      inserted += got;
      if (got < want) {
        shortBatches++;
        passRate = Math.max(0.01, Math.min(passRate, got / generate));
      }
      progress(inserted);
    }
    return inserted;
  });
}

/** Second pass for foreign keys that close a cycle: point most NULL references at a parent row. */
async function fillDeferred(db: SqlExecutor, keys: KeyTables, table: TableStructure, fk: ForeignKey): Promise<void> {
  const parentKeys = await keys.get(qualified(fk.parent), fk.parentColumns);
  if (parentKeys.count === 0) return;
  const assignments = fk.columns.map((c, i) => `${quoteIdent(c)} = _k.${quoteIdent(fk.parentColumns[i])}`).join(', ');
  const isNull = fk.columns.map((c) => `${quoteIdent(c)} IS NULL`).join(' AND ');
  await db.exec(`
    UPDATE ${table.sqlName} AS _c SET ${assignments}
    FROM (SELECT ctid AS _ctid, (1 + floor(power(random(), 2) * ${parentKeys.count}))::int AS _p
          FROM ${table.sqlName} WHERE ${isNull} AND random() < 0.5) AS _pick
    JOIN ${parentKeys.name} AS _k ON _k._rn = _pick._p
    WHERE _c.ctid = _pick._ctid`);
}
