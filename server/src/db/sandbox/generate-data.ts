import type { SandboxProblem } from './apply-migrations';
import { columnHints } from './check-hints';
import { asPostgresError, quoteIdent, type SqlExecutor } from './executor';
import { isRequired, type FillPlan, type FillStep } from './fill-plan';
import type { ColumnStructure, ForeignKey, TableStructure } from './structure';
import { nullRate, valueExpression } from './values';

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

const PEOPLE_TABLES = /(user|customer|person|people|author|employee|member|account|contact|student|patient|client)s?$/i;

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
        const inserted = await withIndexesDeferred(db, step, problems, () =>
          fillTable(db, keys, step, (n) => onProgress?.(step.table.id, n, step.rows)),
        );
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

/** Below this many new rows, keeping secondary indexes during the load costs little. */
const REBUILD_INDEXES_FROM_ROWS = 10_000;

/**
 * Drops a big table's plain (non-unique) indexes during its load and rebuilds them afterwards: one sort
 * per index instead of a random B-tree insert per row. Unique indexes stay (ON CONFLICT needs them).
 */
async function withIndexesDeferred<T>(db: SqlExecutor, step: FillStep, problems: SandboxProblem[], load: () => Promise<T>): Promise<T> {
  if (step.rows < REBUILD_INDEXES_FROM_ROWS) return load();
  const indexes = (await db.query<{ name: string; definition: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.indrelid = $1::regclass AND NOT i.indisunique AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
     ORDER BY 1`,
    [step.table.sqlName],
  )).rows;
  const dropped: typeof indexes = [];
  for (const index of indexes) {
    if (await db.exec(`DROP INDEX ${index.name}`).then(() => true, () => false)) dropped.push(index);
  }
  try {
    return await load();
  } finally {
    for (const index of dropped) {
      await db.exec(index.definition).catch((error: unknown) => {
        problems.push({ phase: 'data', message: `Could not rebuild index ${index.name} after loading ${step.table.id} (${asPostgresError(error).message}); plans will not use it.` });
      });
    }
  }
}

function generationFailure(table: TableStructure, error: unknown): string {
  if (error instanceof UnsupportedColumnError) return error.message;
  if (error instanceof MissingParentError) return error.message;
  const pg = asPostgresError(error);
  return `Could not generate rows for ${table.id}: ${pg.message}${pg.detail ? ` (${pg.detail})` : ''}. Give the table a smaller row count or seed it in a migration.`;
}

class UnsupportedColumnError extends Error {}
class MissingParentError extends Error {}

/** Parent keys numbered 1..n in a temporary table, so a child row picks one with `_rn = <random 1..n>`. */
class KeyTables {
  private readonly made = new Map<string, { name: string; count: number }>();
  private readonly all: string[] = [];

  constructor(private readonly db: SqlExecutor) {}

  async get(parent: TableStructure | string, columns: string[]): Promise<{ name: string; count: number }> {
    const parentName = typeof parent === 'string' ? parent : parent.sqlName;
    const cacheKey = `${parentName}(${columns.join(',')})`;
    const known = this.made.get(cacheKey);
    if (known) return known;
    const name = `pglens_keys_${this.all.length + 1}`;
    const list = columns.map(quoteIdent).join(', ');
    const notNull = columns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
    await this.db.exec(`CREATE TEMP TABLE ${name} AS SELECT row_number() OVER () AS _rn, ${list} FROM ${parentName} WHERE ${notNull}`);
    await this.db.exec(`ANALYZE ${name}`);
    this.all.push(name);
    const count = Number((await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`)).rows[0]?.n ?? 0);
    const made = { name, count };
    this.made.set(cacheKey, made);
    return made;
  }

  forget(): void {
    this.made.clear();
  }

  async dropAll(): Promise<void> {
    for (const name of this.all) await this.db.exec(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
    this.all.length = 0;
    this.made.clear();
  }
}

interface ForeignKeyPick {
  fk: ForeignKey;
  keys: { name: string; count: number };
  alias: string;
  /** SQL for the parent row number this child row takes (NULL for no parent). */
  pick: string;
}

async function fillTable(db: SqlExecutor, keys: KeyTables, step: FillStep, progress: (inserted: number) => void): Promise<number> {
  const { table } = step;
  if (step.rows === 0) return 0;
  const g = '_s._g';
  const deferred = new Set(step.deferred);
  const { picks, combinations } = await foreignKeyPicks(table, keys, deferred, '_g');
  const columnSql = new Map<string, string>(); // column → value expression
  for (const pick of picks) {
    pick.fk.columns.forEach((column, i) => {
      if (!columnSql.has(column)) columnSql.set(column, `${pick.alias}.${quoteIdent(pick.fk.parentColumns[i])}`);
    });
  }
  for (const fk of step.deferred) for (const column of fk.columns) if (!columnSql.has(column)) columnSql.set(column, 'NULL');

  const uniqueColumns = columnsMadeUnique(table);
  const ofPeople = PEOPLE_TABLES.test(table.name);
  const insertColumns: ColumnStructure[] = [];
  for (const column of table.columns) {
    if (column.autoFilled) continue;
    if (columnSql.has(column.name)) {
      insertColumns.push(column);
      continue;
    }
    const unique = uniqueColumns.has(column.name);
    const base = unique ? await currentMaximum(db, table, column) : 0;
    const value = valueExpression(column, { g, rows: step.rows, unique, base, hints: columnHints(table.checks, column.name), ofPeople });
    if (value === undefined) {
      if (column.hasDefault || !column.notNull) continue; // the default (or NULL) fills it
      throw new UnsupportedColumnError(`No synthetic rows for ${table.id}: pglens cannot invent values of type ${column.sqlType} for NOT NULL column ${column.name}; give it a default or seed the table in a migration.`);
    }
    const rate = unique ? 0 : nullRate(column);
    columnSql.set(column.name, rate > 0 ? `CASE WHEN random() < ${rate} THEN NULL ELSE ${value} END` : value);
    insertColumns.push(column);
  }
  if (insertColumns.length === 0) return 0; // nothing to vary: every column fills itself

  const guard = needsConflictGuard(table, step.rows, uniqueColumns, combinations);
  const select = insertColumns.map((c) => `CAST(${columnSql.get(c.name)} AS ${c.sqlType}) AS ${quoteIdent(c.name)}`).join(',\n    ');
  const pickColumns = picks.map((p, i) => `, ${p.pick} AS _p${i}`).join('');
  const joins = picks.map((p, i) => `LEFT JOIN ${p.keys.name} AS ${p.alias} ON ${p.alias}._rn = _s._p${i}`).join('\n  ');
  // CHECKs on columns the database fills itself are left to the database; the rest filter generated rows.
  const generated = new Set(insertColumns.map((c) => c.name));
  const checks = table.checks.filter((c) => c.columns.every((name) => generated.has(name)));
  const filter = checks.length > 0 ? `WHERE ${checks.map((c) => c.expression).join(' AND ')}` : '';
  const names = insertColumns.map((c) => quoteIdent(c.name)).join(', ');
  const statement = (first: number, last: number, limit: number) => `
WITH inserted AS (
  INSERT INTO ${table.sqlName} (${names})
  SELECT ${names} FROM (
    SELECT ${select}
    FROM (SELECT _g${pickColumns} FROM generate_series(${first}::bigint, ${last}::bigint) AS _g) AS _s
    ${joins}
  ) AS _row
  ${filter}
  LIMIT ${limit}
  ${guard ? 'ON CONFLICT DO NOTHING' : ''}
  RETURNING 1
)
SELECT count(*)::int AS n FROM inserted`;

  let inserted = 0;
  let next = 1;
  let passRate = 1;
  let shortBatches = 0;
  while (inserted < step.rows && shortBatches < MAX_SHORT_BATCHES) {
    const want = Math.min(BATCH_ROWS, step.rows - inserted);
    const generate = Math.ceil(passRate >= 1 ? want : (want / passRate) * 1.2);
    const result = await db.query<{ n: number }>(statement(next, next + generate - 1, want));
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
}

async function foreignKeyPicks(
  table: TableStructure,
  keys: KeyTables,
  deferred: Set<ForeignKey>,
  g: string,
): Promise<{ picks: ForeignKeyPick[]; combinations?: number }> {
  const picks: ForeignKeyPick[] = [];
  // Foreign keys that together are a whole unique key (a join table's primary key): enumerate parent
  // combinations in mixed radix instead of picking at random, so no pair repeats.
  const enumerated = enumeratedForeignKeys(table, deferred);
  let radix = 1;
  for (const fk of table.foreignKeys) {
    if (deferred.has(fk)) continue;
    const parentKeys = await keys.get(qualified(fk.parent), fk.parentColumns);
    const alias = `_k${picks.length}`;
    if (parentKeys.count === 0) {
      if (isRequired(table, fk)) {
        throw new MissingParentError(`No synthetic rows for ${table.id}: its parent table ${fk.parent} has no rows; give ${fk.parent} a row count in .pglens.json.`);
      }
      picks.push({ fk, keys: parentKeys, alias, pick: 'NULL::int' });
      continue;
    }
    const n = parentKeys.count;
    let pick: string;
    if (enumerated.has(fk)) {
      pick = `(1 + ((${g} - 1) / ${radix}) % ${n})::int`;
      radix *= n;
    } else {
      pick = `(1 + floor(power(random(), 2) * ${n}))::int`;
      if (!isRequired(table, fk)) pick = `CASE WHEN random() < 0.1 THEN NULL ELSE ${pick} END`;
    }
    picks.push({ fk, keys: parentKeys, alias, pick });
  }
  return { picks, combinations: enumerated.size > 0 ? radix : undefined };
}

function enumeratedForeignKeys(table: TableStructure, deferred: Set<ForeignKey>): Set<ForeignKey> {
  const result = new Set<ForeignKey>();
  const fkColumns = new Map<string, ForeignKey>();
  for (const fk of table.foreignKeys) if (!deferred.has(fk)) for (const c of fk.columns) fkColumns.set(c, fk);
  for (const key of table.uniqueKeys) {
    if (key.length === 0 || !key.every((c) => fkColumns.has(c))) continue;
    for (const c of key) result.add(fkColumns.get(c) as ForeignKey);
  }
  return result;
}

/**
 * Columns whose values must not repeat: one per unique key, unless the database already makes the key
 * unique (a serial or identity column in it) or foreign keys cover it (enumerated instead).
 */
function columnsMadeUnique(table: TableStructure): Set<string> {
  const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  const unique = new Set<string>();
  for (const key of table.uniqueKeys) {
    const columns = key.map((name) => table.columns.find((c) => c.name === name)).filter((c): c is ColumnStructure => !!c);
    if (columns.some((c) => c.autoFilled) || columns.some((c) => unique.has(c.name))) continue;
    const free = columns.filter((c) => !fkColumns.has(c.name));
    const chosen = free.find((c) => c.type.kind === 'base' && c.type.name !== 'bool') ?? free[0];
    if (chosen) unique.add(chosen.name);
  }
  return unique;
}

/**
 * Whether the INSERT needs ON CONFLICT DO NOTHING (it slows every row down): not when each unique key
 * is unique by construction — a sequence or identity in it, a value derived from the row number that
 * cannot be truncated into a repeat, a random uuid, or parent combinations that are enumerated and
 * suffice — and no seed rows could clash.
 */
function needsConflictGuard(table: TableStructure, rows: number, madeUnique: Set<string>, combinations: number | undefined): boolean {
  if (table.existingRows > 0) return true;
  const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  return table.uniqueKeys.some((key) => {
    const columns = key.map((name) => table.columns.find((c) => c.name === name)).filter((c): c is ColumnStructure => !!c);
    if (columns.some((c) => c.autoFilled)) return false;
    if (columns.length > 0 && columns.every((c) => fkColumns.has(c.name))) return combinations === undefined || combinations < rows;
    return !columns.some((c) => madeUnique.has(c.name) && uniqueByConstruction(table, c, rows));
  });
}

function uniqueByConstruction(table: TableStructure, column: ColumnStructure, rows: number): boolean {
  if (columnHints(table.checks, column.name).values) return false; // cycles through a few allowed values
  if (column.type.kind !== 'base') return false;
  switch (column.type.name) {
    case 'int2':
      return rows < 32_000;
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float8':
    case 'timestamp':
    case 'timestamptz':
    case 'date':
    case 'uuid':
      return true;
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
      return column.type.length === undefined || column.type.length >= column.name.length + 12;
    default:
      return false;
  }
}

async function currentMaximum(db: SqlExecutor, table: TableStructure, column: ColumnStructure): Promise<number> {
  if (!['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(column.type.name)) return 0;
  const result = await db.query<{ m: number | string | null }>(`SELECT max(${quoteIdent(column.name)})::float8 AS m FROM ${table.sqlName}`);
  const max = Number(result.rows[0]?.m ?? 0);
  return Number.isFinite(max) ? Math.max(0, Math.ceil(max)) : 0;
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

/** `public.users` (a table id) → `"public"."users"`. */
function qualified(id: string): string {
  const dot = id.indexOf('.');
  return `${quoteIdent(id.slice(0, dot))}.${quoteIdent(id.slice(dot + 1))}`;
}
