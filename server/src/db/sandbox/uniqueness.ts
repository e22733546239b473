import { columnHints } from './check-hints';
import type { ColumnStructure, ForeignKey, TableStructure } from './structure';

/**
 * How generated rows stay unique: which column of each unique key derives from the row number, which
 * foreign keys enumerate parent combinations, and whether anything could still repeat (then the INSERT
 * needs ON CONFLICT DO NOTHING and unique indexes must stay in place during the load).
 */
/** Foreign keys that together make up a whole unique key: their parent combinations are enumerated. */
export function enumeratedForeignKeys(table: TableStructure, deferred: Set<ForeignKey>): Set<ForeignKey> {
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
export function columnsMadeUnique(table: TableStructure): Set<string> {
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
export function needsConflictGuard(table: TableStructure, rows: number, madeUnique: Set<string>, combinations: number | undefined): boolean {
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
