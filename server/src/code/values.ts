/**
 * What the code analysis knows about a value, without a type checker. Values are plain data so a file's
 * summary can hold them after its syntax tree is gone, and so an imported value can be resolved later
 * against the file that exports it.
 */

/** The database libraries pglens recognises; `generic` is the name-based fallback. */
export type Lib =
  | 'pg'
  | 'postgres'
  | 'slonik'
  | 'kysely'
  | 'knex'
  | 'prisma'
  | 'drizzle'
  | 'typeorm'
  | 'sequelize'
  | 'pg-promise'
  | 'pg-serverless'
  | 'generic';

/**
 * One step applied to a value: a property name, `()` for a call, `` `` `` for a tagged template,
 * `new()` for a construction. Property names can never be one of the three markers.
 */
export type Token = string;
export const CALL: Token = '()';
export const TAG: Token = '``';
export const NEW: Token = 'new()';
/** The first parameter of a callback passed to the call before it (a transaction's handle). */
export const CALLBACK_PARAM: Token = '(cb)';
/**
 * Ends the part of an imported chain that already ran where a variable was bound
 * (`const page = await fetchPage()`): calls before it are not made again by later uses.
 */
export const BOUND: Token = '(bound)';

export type SymValue =
  /** A database handle, builder or class from a recognised library, in one of the library's roles. */
  | { t: 'db'; lib: Lib; role: string }
  /** An imported binding (`name` is an export name, `default` or `*`), followed by `chain`. */
  | { t: 'import'; module: string; name: string; chain: Token[] }
  /** A function or method of the file, by its unit id. */
  | { t: 'fn'; id: string }
  | { t: 'class'; name: string }
  | { t: 'instance'; cls: string }
  /** An object literal held in a variable, whose properties are known. */
  | { t: 'object'; name: string }
  /** An array literal of constants: a loop over it runs a fixed, small number of times. */
  | { t: 'static-list' }
  /** A string constant, kept for the SQL it may hold. */
  | { t: 'text'; value: string }
  /** A known value that never reaches the database: a helper of a database library (`eq`, slonik's `sql`). */
  | { t: 'inert' }
  /** A value of unknown kind; its name feeds the name-based fallback (`db`, `prisma`, …). */
  | { t: 'named'; name: string };

export function importValue(module: string, name: string, chain: Token[] = []): SymValue {
  return { t: 'import', module, name, chain };
}
