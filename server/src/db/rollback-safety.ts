import { qualifiedName } from './ast';
import type { Queryable } from './queryable';
import type { InsertDefaults, StatementFacts, WriteFacts } from './statement-facts';

/**
 * EXPLAIN ANALYZE of a write runs it; a ROLLBACK undoes the rows but not everything: sequences keep
 * the values nextval handed out, triggers may reach outside the transaction, and writes to foreign
 * tables land on another server. Returns why ANALYZE must not run, or undefined when a rollback
 * undoes everything the statement does.
 */
export async function rollbackHazard(facts: StatementFacts, db: Queryable): Promise<string | undefined> {
  if (facts.sequenceCalls.length) {
    return `it calls ${facts.sequenceCalls[0]}(), and sequences do not roll back`;
  }
  for (const write of facts.writes) {
    const table = await targetInfo(write, db);
    if (!table) return `pglens could not read the definition of ${write.target.name}`;
    if (table.relkind === 'f') return `${write.target.name} is a foreign table, and writes to another server do not roll back`;
    if (table.relkind === 'v') return `${write.target.name} is a view, and pglens cannot tell what writing through it calls`;
    if (table.hasTriggers) return `${write.target.name} has triggers, which may act outside the transaction`;
    const column = sequenceColumnUsed(write, table);
    if (column) return `the ${write.command} would take a value from a sequence (column ${column}), and sequences do not roll back`;
  }
  return undefined;
}

interface TargetInfo {
  relkind: string;
  hasTriggers: boolean;
  /** Every column in table order. */
  columns: string[];
  /** Columns whose default draws from a sequence: serial, identity, or an explicit nextval default. */
  sequenceColumns: string[];
}

const TARGET_INFO = `
SELECT c.relkind,
       EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS has_triggers,
       array_agg(a.attname::text ORDER BY a.attnum) AS columns,
       coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (
         WHERE a.attidentity <> ''
            OR EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
                       WHERE dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid)), '{}') AS sequence_columns
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.oid = to_regclass($1)
GROUP BY c.oid, c.relkind`;

async function targetInfo(write: WriteFacts, db: Queryable): Promise<TargetInfo | undefined> {
  const { rows } = await db.query<{ relkind: string; has_triggers: boolean; columns: string[]; sequence_columns: string[] }>(TARGET_INFO, [
    qualifiedName(write.target),
  ]);
  const row = rows[0];
  if (!row) return undefined;
  return { relkind: row.relkind, hasTriggers: row.has_triggers, columns: row.columns, sequenceColumns: row.sequence_columns };
}

function sequenceColumnUsed(write: WriteFacts, table: TargetInfo): string | undefined {
  if (!table.sequenceColumns.length) return undefined;
  const defaulted = new Set(write.setToDefault);
  if (write.mergeInserts) return table.sequenceColumns[0];
  if (write.insertDefaults) for (const column of insertDefaulted(write.insertDefaults, table)) defaulted.add(column);
  return table.sequenceColumns.find((column) => defaulted.has(column));
}

/** The columns an INSERT leaves to their default; unknown width counts as "all but none given". */
function insertDefaulted(defaults: InsertDefaults, table: TargetInfo): string[] {
  switch (defaults.kind) {
    case 'all':
      return table.columns;
    case 'named': {
      if (defaults.overridingUserValue) return table.columns;
      const given = new Set(defaults.given);
      return [...table.columns.filter((c) => !given.has(c)), ...defaults.explicitDefault];
    }
    case 'positional': {
      if (defaults.overridingUserValue || defaults.width === undefined) return table.columns;
      const width = defaults.width;
      return table.columns.filter((_, i) => i >= width || defaults.explicitDefaultPositions.includes(i));
    }
  }
}
