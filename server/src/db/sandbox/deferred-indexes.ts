import type { SandboxProblem } from './apply-migrations';
import { asPostgresError, quoteIdent, type SqlExecutor } from './executor';
import type { FillStep } from './fill-plan';

/**
 * Sets a big table's indexes aside while it loads and rebuilds them afterwards: one sort per index
 * instead of a random B-tree insert per row, several times faster. Plain indexes always; unique ones only
 * when the generated rows cannot repeat a key (else ON CONFLICT needs them), and never the primary key or
 * a unique key that foreign keys reference.
 */
export const SET_ASIDE_FROM_ROWS = 10_000;

interface SetAside {
  name: string;
  /** SQL that drops it, and SQL that restores it exactly. */
  drop: string;
  restore: string;
}

const INDEXES = `
  SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_indexdef(i.indexrelid) AS index_definition,
         k.conname AS constraint_name, pg_get_constraintdef(k.oid) AS constraint_definition
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype = 'u'
  WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND (NOT i.indisunique OR $2)
    AND NOT EXISTS (
      SELECT 1 FROM pg_constraint o
      WHERE o.conindid = i.indexrelid AND (o.contype <> 'u' OR o.conrelid <> i.indrelid))
  ORDER BY 1`;

export async function withIndexesSetAside<T>(
  db: SqlExecutor,
  step: FillStep,
  includeUnique: boolean,
  problems: SandboxProblem[],
  load: () => Promise<T>,
): Promise<T> {
  if (step.rows < SET_ASIDE_FROM_ROWS) return load();
  const rows = (await db.query<{ name: string; index_definition: string; constraint_name: string | null; constraint_definition: string | null }>(
    INDEXES,
    [step.table.sqlName, includeUnique],
  )).rows;
  const setAside: SetAside[] = [];
  for (const row of rows) {
    const entry: SetAside = row.constraint_name && row.constraint_definition
      ? {
          name: row.name,
          drop: `ALTER TABLE ${step.table.sqlName} DROP CONSTRAINT ${quoteIdent(row.constraint_name)}`,
          restore: `ALTER TABLE ${step.table.sqlName} ADD CONSTRAINT ${quoteIdent(row.constraint_name)} ${row.constraint_definition}`,
        }
      : { name: row.name, drop: `DROP INDEX ${row.name}`, restore: row.index_definition };
    if (await db.exec(entry.drop).then(() => true, () => false)) setAside.push(entry);
  }
  try {
    return await load();
  } finally {
    for (const entry of setAside) {
      await db.exec(entry.restore).catch((error: unknown) => {
        problems.push({ phase: 'data', message: `Could not rebuild index ${entry.name} after loading ${step.table.id} (${asPostgresError(error).message}); plans will not use it.` });
      });
    }
  }
}
