import {
  GENERIC_SQL_METHOD_NAMES,
  callbackRoleOf,
  LIBRARIES,
  QUERY,
  QUERY_IF_SQL,
  guessLibrary,
  libraryOfHandleName,
  step,
} from './libraries';
import type { Consumption, EvalTables } from './summary';
import { BOUND, CALL, CALLBACK_PARAM, NEW, TAG, type Lib, type SymValue, type Token } from './values';

/**
 * Follows a value through a chain of tokens (`pool` `.query` `()`), in the tables of the file the
 * value lives in. Shared by the per-file pass (values declared in the file) and the workspace resolver
 * (values imported from another file), so both read a chain the same way.
 */
export type ImportValue = Extract<SymValue, { t: 'import' }>;

export type { Consumption };

export type StepResult =
  | { kind: 'value'; value: SymValue; callbackRole?: string }
  | { kind: 'query'; lib: Lib; needsSql: boolean }
  | { kind: 'call'; id: string };

export function stepValue(tables: EvalTables, value: SymValue, token: Token): StepResult | undefined {
  switch (value.t) {
    case 'db': {
      if (token === CALLBACK_PARAM) {
        const role = callbackRoleOf(value.role);
        return role ? { kind: 'value', value: { t: 'db', lib: value.lib, role } } : undefined;
      }
      const outcome = step(LIBRARIES[value.lib], value.role, token);
      if (!outcome) return undefined;
      if (outcome.role === QUERY) return { kind: 'query', lib: value.lib, needsSql: false };
      if (outcome.role === QUERY_IF_SQL) return { kind: 'query', lib: value.lib, needsSql: true };
      return { kind: 'value', value: { t: 'db', lib: value.lib, role: outcome.role }, callbackRole: outcome.callbackRole };
    }
    case 'import':
      return { kind: 'value', value: { ...value, chain: [...value.chain, token] } };
    case 'fn':
      if (token === CALL) return { kind: 'call', id: value.id };
      // f.call(this, …) and f.apply(this, […]) call f.
      if (token === 'call' || token === 'apply') return { kind: 'value', value };
      return undefined;
    case 'class': {
      if (token === NEW) return { kind: 'value', value: { t: 'instance', cls: value.name } };
      const cls = tables.classes.get(value.name);
      if (!cls) return undefined;
      if (cls.statics.includes(token)) return { kind: 'value', value: { t: 'fn', id: `${value.name}.${token}` } };
      return cls.staticBase ? stepValue(tables, cls.staticBase, token) : undefined;
    }
    case 'instance': {
      const cls = tables.classes.get(value.cls);
      if (!cls) return undefined;
      if (cls.methods.includes(token)) return { kind: 'value', value: { t: 'fn', id: `${value.cls}#${token}` } };
      const field = Object.prototype.hasOwnProperty.call(cls.fields, token) ? cls.fields[token] : undefined;
      if (field) return { kind: 'value', value: field };
      return cls.instanceBase ? stepValue(tables, cls.instanceBase, token) : undefined;
    }
    case 'object': {
      const property = tables.objects.get(value.name)?.get(token);
      return property ? { kind: 'value', value: property } : undefined;
    }
    default:
      return undefined;
  }
}

export type Classified =
  | { kind: 'query'; lib: Lib; needsSql: boolean; at: number }
  | { kind: 'call'; id: string; at: number }
  | { kind: 'import'; value: ImportValue }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'none'; value?: SymValue };

export interface ClassifyOptions {
  consumed: Consumption;
  /** Name of the root when it is an unknown identifier (a global function, an untyped parameter). */
  rootName?: string;
  /** Called with the value before each token, for the callback roles of transaction methods. */
  onToken?: (index: number, before: SymValue | undefined) => void;
}

/**
 * What a chain does: reach the database (`query`), call a function of the file (`call`), go through an
 * import (resolved later), call something unknown (`name`), or nothing but produce a value (`none`).
 */
export function classifyChain(tables: EvalTables, root: SymValue | undefined, tokens: readonly Token[], options: ClassifyOptions): Classified {
  let value = root;
  const bound = tokens.lastIndexOf(BOUND);
  for (let i = 0; i < tokens.length; i++) {
    options.onToken?.(i, value);
    if (tokens[i] === BOUND && value?.t !== 'import') continue;
    const result = value ? stepValue(tables, value, tokens[i]) : undefined;
    if (!result) return i < bound ? { kind: 'none' } : fallback(tables, value, tokens, i, options);
    // A call made where a variable was bound is not made again by using the variable.
    if (result.kind !== 'value' && i < bound) return { kind: 'none' };
    if (result.kind === 'query') return { ...result, at: i };
    if (result.kind === 'call') return { ...result, at: i };
    value = result.value;
  }
  if (value?.t === 'import') return { kind: 'import', value };
  if (value?.t === 'db' && LIBRARIES[value.lib].thenable.has(value.role) && countsAsRun(value.lib, options.consumed)) {
    return { kind: 'query', lib: value.lib, needsSql: false, at: tokens.length - 1 };
  }
  return { kind: 'none', value };
}

/** A thenable builder runs when awaited; collected into an array it runs too, except postgres fragments. */
function countsAsRun(lib: Lib, consumed: Consumption): boolean {
  return consumed === 'awaited' || (consumed === 'collected' && lib !== 'postgres');
}

/**
 * Where the library is unknown: a handle known by name (`db`, `prisma`, `this.pool`) is read with the
 * library the file imports; a query-like method (`.query`) counts when its first argument is SQL; any
 * other call is reported by name, for `queryInLoop.extraMethods`.
 */
function fallback(tables: EvalTables, last: SymValue | undefined, tokens: readonly Token[], from: number, options: ClassifyOptions): Classified {
  if (last?.t === 'inert') return { kind: 'none' };
  const candidates: { name: string; next: number }[] = [];
  if (last?.t === 'named') candidates.push({ name: last.name, next: from });
  else if (from === 0 && options.rootName) candidates.push({ name: options.rootName, next: 0 });
  for (let j = from; j < tokens.length; j++) if (isMemberName(tokens[j])) candidates.push({ name: tokens[j], next: j + 1 });

  for (const candidate of candidates) {
    const handle = libraryOfHandleName(candidate.name);
    if (!handle) continue;
    const guessed = handle.lib ?? guessLibrary(tables.libs);
    // A file that imports no database library (a path alias `~/server/db`): try the APIs whose
    // call shapes cannot be mistaken for anything else.
    const libs: Lib[] = guessed === 'generic' && !handle.lib ? ['generic', 'prisma', 'kysely'] : [guessed];
    const rest = tokens.slice(candidate.next);
    for (const lib of libs) {
      const role = handle.lib ? (handle.role ?? LIBRARIES[lib].handle) : LIBRARIES[lib].handle;
      const outcome = classifyChain(tables, { t: 'db', lib, role }, rest, { consumed: options.consumed });
      if (outcome.kind !== 'query') continue;
      if (lib === 'prisma' && !handle.lib && !DISTINCTIVE_PRISMA_METHODS.has(rest[outcome.at - 1])) continue;
      return { ...outcome, at: outcome.at + candidate.next };
    }
  }
  for (let j = Math.max(from, 1); j < tokens.length; j++) {
    if (tokens[j] === CALL && GENERIC_SQL_METHOD_NAMES.has(tokens[j - 1])) return { kind: 'query', lib: 'generic', needsSql: true, at: j };
  }
  for (let j = from; j < tokens.length; j++) {
    if (tokens[j] !== CALL && tokens[j] !== TAG) continue;
    const rootName = last?.t === 'named' ? last.name : options.rootName;
    const name = j > 0 && isMemberName(tokens[j - 1]) ? tokens[j - 1] : j === 0 ? rootName : undefined;
    return name ? { kind: 'name', name, at: j } : { kind: 'none' };
  }
  return { kind: 'none' };
}

/** Prisma model methods no other API shares; `create`, `update`, `count` are too common to guess on. */
const DISTINCTIVE_PRISMA_METHODS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'createMany',
  'createManyAndReturn',
  'upsert',
  'updateMany',
  'deleteMany',
  'aggregate',
  'groupBy',
]);

export function isMemberName(token: Token): boolean {
  return token !== CALL && token !== TAG && token !== NEW && token !== CALLBACK_PARAM && token !== BOUND && !token.startsWith('[');
}
