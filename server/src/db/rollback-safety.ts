import { qualifiedName } from './ast';
import type { Queryable } from './queryable';
import type { InsertDefaults, StatementFacts, WriteFacts } from './statement-facts';

/**
 * EXPLAIN ANALYZE runs the statement — a read inside BEGIN READ ONLY, a write (analyzeWrites
 * "rollback") inside BEGIN READ WRITE — and a ROLLBACK undoes its rows but not everything: sequences
 * keep the values nextval handed out; dblink writes over a second connection that commits on its own;
 * session advisory locks outlive the transaction; triggers, rules and cascaded deletes may do any of
 * these; writes to foreign tables land on another server. Returns why ANALYZE must not run, or
 * undefined when a rollback undoes everything the statement does.
 *
 * A volatile function defined in the database (not built in) is opaque: pglens cannot see what it
 * does, so a statement that calls one — directly, or through a view it reads — is not run.
 */
export async function rollbackHazard(facts: StatementFacts, db: Queryable): Promise<string | undefined> {
  if (facts.sequenceCalls.length) {
    return `it calls ${facts.sequenceCalls[0]}(), and sequences do not roll back`;
  }
  for (const name of facts.functionCalls) {
    const escape = escapingBuiltin(name);
    if (escape) return `it calls ${name}(), and ${escape}`;
  }
  const opaque = await opaqueFunction(facts, db);
  if (opaque) {
    return `it calls ${opaque}(), a volatile function defined in the database, and pglens cannot see whether it acts outside the transaction (dblink, sequences, advisory locks), which a rollback would not undo`;
  }
  for (const write of facts.writes) {
    const table = await targetInfo(write, db);
    if (!table) return `pglens could not read the definition of ${write.target.name}`;
    if (table.relkind === 'f') return `${write.target.name} is a foreign table, and writes to another server do not roll back`;
    if (table.relkind === 'v') return `${write.target.name} is a view, and pglens cannot tell what writing through it calls`;
    if (table.hasTriggers) return `${write.target.name} has triggers, which may act outside the transaction`;
    if (table.hasRules) return `${write.target.name} has rules, which may write to other tables`;
    if (write.command !== 'INSERT' && table.cascadeTriggers) {
      return `the ${write.command} may cascade to ${table.cascadeTriggers}, which has triggers that may act outside the transaction`;
    }
    const column = columnDefaulted(write, table, table.sequenceColumns);
    if (column) return `the ${write.command} would take a value from a sequence (column ${column}), and sequences do not roll back`;
    const called = columnDefaulted(write, table, table.functionDefaultColumns);
    if (called) {
      return `the ${write.command} would fill column ${called} from its default, which calls a volatile function defined in the database that may act outside the transaction`;
    }
  }
  return undefined;
}

/**
 * Built-in functions whose effect outlives a rollback, by name (a function of the same name in
 * another schema is treated alike). nextval/setval are StatementFacts.sequenceCalls.
 */
const ESCAPING_BUILTINS: [RegExp, string][] = [
  [/^dblink/, 'dblink runs statements over another connection, which commits on its own'],
  [/^pg_(try_)?advisory_(lock|unlock)(_shared)?$|^pg_advisory_unlock_all$/, 'a session-level advisory lock outlives the transaction'],
  [/^pg_(terminate|cancel)_backend$/, 'it acts on another session'],
  [/^pg_(reload_conf|rotate_logfile|switch_wal|create_restore_point|promote)$/, 'it acts on the server'],
  [/replication_slot|^pg_replication_origin_|^pg_logical_slot_|^pg_logical_emit_message$/, 'replication state does not roll back'],
  [/^pg_stat_reset/, 'statistics resets do not roll back'],
  [/^pg_file_|^lo_export$/, 'it writes a file on the server'],
];

function escapingBuiltin(name: string): string | undefined {
  const lower = name.toLowerCase();
  return ESCAPING_BUILTINS.find(([pattern]) => pattern.test(lower))?.[1];
}

/**
 * The first volatile function outside pg_catalog that the statement calls by name (any schema, any
 * overload: the cautious reading) or through a view it reads (views of views included).
 */
const OPAQUE_FUNCTION = `
WITH RECURSIVE views(oid) AS (
  SELECT c.oid FROM unnest($2::text[]) AS r(name) JOIN pg_class c ON c.oid = to_regclass(r.name) WHERE c.relkind = 'v'
  UNION
  SELECT c.oid FROM views v
  JOIN pg_rewrite w ON w.ev_class = v.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = 'pg_class'::regclass
  JOIN pg_class c ON c.oid = d.refobjid AND c.relkind = 'v'
),
called(oid) AS (
  SELECT p.oid FROM pg_proc p WHERE p.proname = ANY($1::text[])
  UNION
  SELECT d.refobjid FROM views v
  JOIN pg_rewrite w ON w.ev_class = v.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = 'pg_proc'::regclass
)
SELECT p.proname AS name
FROM called JOIN pg_proc p ON p.oid = called.oid JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.provolatile = 'v' AND n.nspname <> 'pg_catalog'
ORDER BY p.proname
LIMIT 1`;

async function opaqueFunction(facts: StatementFacts, db: Queryable): Promise<string | undefined> {
  if (!facts.functionCalls.length && !facts.relations.length) return undefined;
  const { rows } = await db.query<{ name: string }>(OPAQUE_FUNCTION, [facts.functionCalls, facts.relations.map((r) => qualifiedName(r))]);
  return rows[0]?.name;
}

interface TargetInfo {
  relkind: string;
  hasTriggers: boolean;
  /** Every column in table order. */
  columns: string[];
  /** Columns whose default draws from a sequence: serial, identity, or an explicit nextval default. */
  sequenceColumns: string[];
  /** Columns whose default calls a volatile function defined in the database (it may draw from a sequence). */
  functionDefaultColumns: string[];
  /** Rules other than a view's `_RETURN`: DO ALSO/INSTEAD actions write elsewhere. */
  hasRules: boolean;
  /** Tables that ON DELETE/UPDATE actions reach from this one (transitively) and that have triggers. */
  cascadeTriggers?: string;
}

const TARGET_INFO = `
SELECT c.relkind,
       EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS has_triggers,
       array_agg(a.attname::text ORDER BY a.attnum) AS columns,
       coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (
         WHERE a.attidentity <> ''
            OR EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
                       WHERE dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid)), '{}') AS sequence_columns,
       coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (
         WHERE EXISTS (SELECT 1 FROM pg_depend dep
                       JOIN pg_proc p ON p.oid = dep.refobjid AND p.provolatile = 'v'
                       JOIN pg_namespace pn ON pn.oid = p.pronamespace AND pn.nspname <> 'pg_catalog'
                       WHERE dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid AND dep.refclassid = 'pg_proc'::regclass)), '{}') AS function_default_columns,
       EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN') AS has_rules,
       (WITH RECURSIVE reached(oid) AS (
          SELECT c.oid
          UNION
          SELECT k.conrelid FROM pg_constraint k JOIN reached r ON k.confrelid = r.oid
          WHERE k.contype = 'f' AND (k.confdeltype IN ('c', 'n', 'd') OR k.confupdtype IN ('c', 'n', 'd'))
        )
        SELECT string_agg(DISTINCT r.oid::regclass::text, ', ') FROM reached r
        WHERE r.oid <> c.oid AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = r.oid AND NOT t.tgisinternal)) AS cascade_triggers
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.oid = to_regclass($1)
GROUP BY c.oid, c.relkind`;

async function targetInfo(write: WriteFacts, db: Queryable): Promise<TargetInfo | undefined> {
  const { rows } = await db.query<{
    relkind: string;
    has_triggers: boolean;
    columns: string[];
    sequence_columns: string[];
    function_default_columns: string[];
    has_rules: boolean;
    cascade_triggers: string | null;
  }>(TARGET_INFO, [qualifiedName(write.target)]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    relkind: row.relkind,
    hasTriggers: row.has_triggers,
    columns: row.columns,
    sequenceColumns: row.sequence_columns,
    functionDefaultColumns: row.function_default_columns,
    hasRules: row.has_rules,
    cascadeTriggers: row.cascade_triggers ?? undefined,
  };
}

/** The first of `candidates` the write leaves to its default (INSERT, SET … = DEFAULT, MERGE … INSERT). */
function columnDefaulted(write: WriteFacts, table: TargetInfo, candidates: string[]): string | undefined {
  if (!candidates.length) return undefined;
  const defaulted = new Set(write.setToDefault);
  if (write.mergeInserts) return candidates[0];
  if (write.insertDefaults) for (const column of insertDefaulted(write.insertDefaults, table)) defaulted.add(column);
  return candidates.find((column) => defaulted.has(column));
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
