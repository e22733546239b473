import { quoteIdent, type SqlExecutor } from './executor';

/**
 * The structure of the user's tables as the database itself sees it after the migrations ran (pg_catalog),
 * with what data generation needs beyond a Catalog: resolved types with their modifiers, enum labels,
 * which columns the database fills itself, and every key and CHECK constraint.
 */
export interface TypeInfo {
  /** pg_type.typname after resolving domains: int4, varchar, timestamptz, … */
  name: string;
  kind: 'base' | 'enum' | 'array' | 'other';
  enumLabels?: string[];
  element?: TypeInfo;
  /** varchar(n) / char(n) length. */
  length?: number;
  /** numeric(p, s). */
  precision?: number;
  scale?: number;
}

export interface ColumnStructure {
  name: string;
  /** The declared type as SQL (`format_type`), used to cast generated values: a domain, an enum, … */
  sqlType: string;
  type: TypeInfo;
  notNull: boolean;
  /** Identity, generated, or a sequence default: the database fills it, so generation leaves it out. */
  autoFilled: boolean;
  hasDefault: boolean;
}

export interface ForeignKey {
  name: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
}

export interface CheckConstraint {
  name: string;
  columns: string[];
  /** The boolean expression, as `pg_get_constraintdef` prints it without `CHECK`. */
  expression: string;
}

export interface TableStructure {
  /** `schema.name`, unquoted: the key tables are known by. */
  id: string;
  schema: string;
  name: string;
  /** Quoted, qualified name for SQL text. */
  sqlName: string;
  columns: ColumnStructure[];
  primaryKey?: string[];
  /** Column sets unique on every row: the primary key, UNIQUE constraints, unique indexes. */
  uniqueKeys: string[][];
  foreignKeys: ForeignKey[];
  checks: CheckConstraint[];
  existingRows: number;
}

interface TypeRow {
  oid: number;
  typname: string;
  typtype: string;
  typcategory: string;
  typelem: number;
  typbasetype: number;
  typtypmod: number;
}

const USER_TABLES = `
  SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
  ORDER BY n.nspname, c.relname`;

const COLUMNS = `
  SELECT a.attrelid::int AS table_oid, a.attnum::int AS num, a.attname AS name,
         format_type(a.atttypid, a.atttypmod) AS sql_type, a.atttypid::int AS type_oid, a.atttypmod AS typmod,
         a.attnotnull AS not_null, a.attidentity AS identity, a.attgenerated AS generated,
         pg_get_expr(d.adbin, d.adrelid) AS default_expr
  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS = `
  SELECT conrelid::int AS table_oid, conname AS name, contype AS type, conkey::int[] AS columns,
         confrelid::int AS parent_oid, confkey::int[] AS parent_columns, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint
  WHERE conrelid = ANY($1::oid[]) AND contype IN ('p', 'u', 'f', 'c')
  ORDER BY conrelid, conname`;

const UNIQUE_INDEXES = `
  SELECT i.indrelid::int AS table_oid, i.indkey::int2[]::int[] AS columns, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
  WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`;

export async function readStructure(db: SqlExecutor): Promise<TableStructure[]> {
  const tables = (await db.query<{ oid: number; schema: string; name: string }>(USER_TABLES)).rows;
  if (tables.length === 0) return [];
  const oids = tables.map((t) => t.oid);
  const types = await readTypes(db);
  const columns = (await db.query<ColumnRow>(COLUMNS, [oids])).rows;
  const constraints = (await db.query<ConstraintRow>(CONSTRAINTS, [oids])).rows;
  const uniqueIndexes = (await db.query<{ table_oid: number; columns: number[]; definition: string }>(UNIQUE_INDEXES, [oids])).rows;

  const byOid = new Map<number, TableStructure>();
  const columnNames = new Map<number, Map<number, string>>();
  for (const t of tables) {
    byOid.set(t.oid, {
      id: `${t.schema}.${t.name}`,
      schema: t.schema,
      name: t.name,
      sqlName: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
      columns: [],
      uniqueKeys: [],
      foreignKeys: [],
      checks: [],
      existingRows: 0,
    });
    columnNames.set(t.oid, new Map());
  }
  for (const c of columns) {
    const table = byOid.get(c.table_oid);
    if (!table) continue;
    columnNames.get(c.table_oid)?.set(c.num, c.name);
    table.columns.push({
      name: c.name,
      sqlType: c.sql_type,
      type: resolveType(types, c.type_oid, c.typmod),
      notNull: c.not_null,
      autoFilled: c.identity !== '' || c.generated !== '' || /^nextval\(/i.test(c.default_expr ?? ''),
      hasDefault: c.default_expr !== null,
    });
  }
  for (const k of constraints) {
    const table = byOid.get(k.table_oid);
    if (!table) continue;
    const names = (k.columns ?? []).map((n) => columnNames.get(k.table_oid)?.get(n) ?? '');
    if (k.type === 'p') {
      table.primaryKey = names;
      table.uniqueKeys.push(names);
    } else if (k.type === 'u') {
      table.uniqueKeys.push(names);
    } else if (k.type === 'f') {
      const parent = byOid.get(k.parent_oid);
      if (!parent) continue; // a parent outside the user's tables (another extension's schema): not generated here
      const parentNames = (k.parent_columns ?? []).map((n) => columnNames.get(k.parent_oid)?.get(n) ?? '');
      table.foreignKeys.push({ name: k.name, columns: names, parent: parent.id, parentColumns: parentNames });
    } else if (k.type === 'c') {
      table.checks.push({ name: k.name, columns: names, expression: checkExpression(k.definition) });
    }
  }
  for (const index of uniqueIndexes) {
    const table = byOid.get(index.table_oid);
    if (!table) continue;
    const plain = index.columns.filter((n) => n > 0).map((n) => columnNames.get(index.table_oid)?.get(n) ?? '');
    // Expression keys (lower(email)): count every column the expression mentions as part of the key.
    const mentioned = index.columns.includes(0)
      ? table.columns.map((c) => c.name).filter((name) => mentions(expressionPart(index.definition), name))
      : [];
    const key = [...new Set([...plain, ...mentioned])];
    if (key.length > 0) table.uniqueKeys.push(key);
  }
  for (const table of byOid.values()) {
    const counted = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table.sqlName}`);
    table.existingRows = Number(counted.rows[0]?.n ?? 0);
  }
  return [...byOid.values()];
}

interface ColumnRow {
  table_oid: number;
  num: number;
  name: string;
  sql_type: string;
  type_oid: number;
  typmod: number;
  not_null: boolean;
  identity: string;
  generated: string;
  default_expr: string | null;
}

interface ConstraintRow {
  table_oid: number;
  name: string;
  type: string;
  columns: number[] | null;
  parent_oid: number;
  parent_columns: number[] | null;
  definition: string;
}

async function readTypes(db: SqlExecutor): Promise<{ types: Map<number, TypeRow>; labels: Map<number, string[]> }> {
  const rows = (await db.query<TypeRow>(
    'SELECT oid::int AS oid, typname, typtype, typcategory, typelem::int AS typelem, typbasetype::int AS typbasetype, typtypmod FROM pg_type',
  )).rows;
  const enums = (await db.query<{ type_oid: number; label: string }>(
    'SELECT enumtypid::int AS type_oid, enumlabel AS label FROM pg_enum ORDER BY enumtypid, enumsortorder',
  )).rows;
  const labels = new Map<number, string[]>();
  for (const e of enums) labels.set(e.type_oid, [...(labels.get(e.type_oid) ?? []), e.label]);
  return { types: new Map(rows.map((r) => [r.oid, r])), labels };
}

function resolveType(
  catalog: { types: Map<number, TypeRow>; labels: Map<number, string[]> },
  oid: number,
  typmod: number,
  depth = 0,
): TypeInfo {
  const row = catalog.types.get(oid);
  if (!row || depth > 8) return { name: 'unknown', kind: 'other' };
  if (row.typtype === 'd') {
    return resolveType(catalog, row.typbasetype, typmod >= 0 ? typmod : row.typtypmod, depth + 1);
  }
  if (row.typtype === 'e') return { name: row.typname, kind: 'enum', enumLabels: catalog.labels.get(oid) ?? [] };
  if (row.typcategory === 'A' && row.typelem !== 0) {
    return { name: row.typname, kind: 'array', element: resolveType(catalog, row.typelem, typmod, depth + 1) };
  }
  const info: TypeInfo = { name: row.typname, kind: row.typtype === 'b' ? 'base' : 'other' };
  if ((row.typname === 'varchar' || row.typname === 'bpchar') && typmod > 4) info.length = typmod - 4;
  if (row.typname === 'numeric' && typmod > 4) {
    info.precision = ((typmod - 4) >> 16) & 0xffff;
    info.scale = (typmod - 4) & 0xffff;
  }
  return info;
}

/** `CHECK ((price > 0)) NOT VALID` → `(price > 0)`. */
function checkExpression(definition: string): string {
  return definition.replace(/^CHECK\s*/i, '').replace(/\s+NO INHERIT\b/i, '').replace(/\s+NOT VALID\b/i, '').trim();
}

/** The key list of `CREATE UNIQUE INDEX … USING btree (lower(email)) WHERE …`. */
function expressionPart(definition: string): string {
  const using = definition.indexOf(' USING ');
  const where = definition.lastIndexOf(' WHERE ');
  return definition.slice(using < 0 ? 0 : using, where < 0 ? undefined : where);
}

function mentions(expression: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w"])(${escaped}|"${escaped.replace(/"/g, '""')}")($|[^\\w"])`).test(expression);
}
