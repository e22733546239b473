import type { TypeName } from 'libpg-query';
import { nodeAs, stringsOf } from '../sql/ast';

/**
 * A column type as PostgreSQL's `format_type` prints it, so the workspace catalog and the database
 * catalog agree: `int` → `integer`, `varchar(20)` → `character varying(20)`, `timestamptz` →
 * `timestamp with time zone`, `serial` → `integer`.
 */
const CANONICAL: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  varbit: 'bit varying',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  decimal: 'numeric',
};

const SERIALS = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** Types whose modifier goes after the first word: `timestamp(3) with time zone`. */
const MODIFIER_AFTER_FIRST_WORD = new Set(['timestamptz', 'timestamp', 'timetz', 'time']);

export function formatTypeName(typeName: TypeName | undefined): string {
  if (!typeName) return 'unknown';
  const names = stringsOf(typeName.names);
  const builtin = names.length === 1 || (names.length === 2 && names[0] === 'pg_catalog');
  const base = names[names.length - 1] ?? 'unknown';
  let text = builtin ? (CANONICAL[base] ?? base) : names.join('.');
  const modifiers = (typeName.typmods ?? [])
    .map((node) => nodeAs(node, 'A_Const')?.ival?.ival ?? (nodeAs(node, 'A_Const') ? 0 : undefined))
    .filter((value): value is number => value !== undefined);
  if (modifiers.length > 0 && base !== 'interval') {
    const suffix = `(${modifiers.join(',')})`;
    if (builtin && MODIFIER_AFTER_FIRST_WORD.has(base)) {
      const space = text.indexOf(' ');
      text = space < 0 ? text + suffix : `${text.slice(0, space)}${suffix}${text.slice(space)}`;
    } else text += suffix;
  }
  text += '[]'.repeat(typeName.arrayBounds?.length ?? 0);
  return text;
}

/** `serial`, `bigserial`, …: an integer column that is NOT NULL with a sequence default. */
export function isSerial(typeName: TypeName | undefined): boolean {
  const names = stringsOf(typeName?.names);
  return names.length === 1 && SERIALS.has(names[0]);
}
