import { columnHints } from './check-hints';
import { quoteIdent, type SqlExecutor } from './executor';
import { isRequired, type FillStep } from './fill-plan';
import { qualified, type KeyTables } from './key-tables';
import type { ColumnStructure, ForeignKey, TableStructure } from './structure';
import { columnsMadeUnique, enumeratedForeignKeys, needsConflictGuard } from './uniqueness';
import { nullRate, valueExpression } from './values';

/**
 * The INSERT that generates one batch of a table's rows: every column's value expression, foreign keys
 * joined to their parents' numbered keys, CHECK constraints as a filter, LIMIT to the batch size.
 */
export interface PreparedInsert {
  /** The statement for row numbers first..last, inserting at most `limit` rows; returns the count as `n`. */
  statement: (first: number, last: number, limit: number) => string;
  /** Whether a generated key could repeat: the statement then carries ON CONFLICT DO NOTHING. */
  guard: boolean;
}

export class UnsupportedColumnError extends Error {}
export class MissingParentError extends Error {}

const PEOPLE_TABLES = /(user|customer|person|people|author|employee|member|account|contact|student|patient|client)s?$/i;

export async function prepareInsert(db: SqlExecutor, keys: KeyTables, step: FillStep): Promise<PreparedInsert | undefined> {
  const { table } = step;
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
    const value = valueExpression(column, { g, rows: step.rows, unique, base, hints: columnHints(table.checks, column.name), ofPeople, salt: `${table.id}.${column.name}` });
    if (value === undefined) {
      if (column.hasDefault || !column.notNull) continue; // the default (or NULL) fills it
      throw new UnsupportedColumnError(`No synthetic rows for ${table.id}: pglens cannot invent values of type ${column.sqlType} for NOT NULL column ${column.name}; give it a default or seed the table in a migration.`);
    }
    const rate = unique ? 0 : nullRate(column);
    columnSql.set(column.name, rate > 0 ? `CASE WHEN random() < ${rate} THEN NULL ELSE ${value} END` : value);
    insertColumns.push(column);
  }
  if (insertColumns.length === 0) return undefined; // nothing to vary: every column fills itself

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
  return { statement, guard };
}

interface ForeignKeyPick {
  fk: ForeignKey;
  keys: { name: string; count: number };
  alias: string;
  /** SQL for the parent row number this child row takes (NULL for no parent). */
  pick: string;
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

async function currentMaximum(db: SqlExecutor, table: TableStructure, column: ColumnStructure): Promise<number> {
  if (!['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(column.type.name)) return 0;
  const result = await db.query<{ m: number | string | null }>(`SELECT max(${quoteIdent(column.name)})::float8 AS m FROM ${table.sqlName}`);
  const max = Number(result.rows[0]?.m ?? 0);
  return Number.isFinite(max) ? Math.max(0, Math.ceil(max)) : 0;
}
