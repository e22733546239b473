import * as ts from 'typescript';
import { NO_BINDINGS, type BindingSyntax } from './bindings';

/**
 * Which calls and tags take SQL, and how sure each one makes us that its literal is a whole statement:
 * - `certain`: the call site says so (Prisma's `$queryRaw` family, a `/* sql *\/` marker);
 * - `tag`: an sql tag, which may also hold a fragment, so it must open with a statement keyword;
 * - `generic`: a method name other libraries use too (`.query`, `.execute`, `.one`, …), so the literal
 *   must look like a statement (see sql-start.ts).
 */
export type Certainty = 'certain' | 'tag' | 'generic';

export interface SqlSite {
  certainty: Certainty;
  /** Interpolations are spliced in as text rather than bound as parameters. */
  rawInterpolations: boolean;
  bindings: BindingSyntax;
}

const PRISMA_RAW = new Set(['$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe']);
const PG_PROMISE = new Set(['many', 'one', 'any', 'none', 'oneOrNone', 'manyOrNone', 'result', 'multi', 'multiResult']);
const GENERIC = new Set(['query', 'execute', 'unsafe', 'maybeOne', 'prepare']);
/** Bare calls that take SQL: `$queryRawUnsafe` destructured from a client, a project's own `query()`. */
const BARE = new Set([...PRISMA_RAW, 'query']);

/** Plain strings: pg-promise names and `?`/`:name` replacements, none of which is SQL as written. */
const PLAIN: BindingSyntax = { ...NO_BINDINGS, pgPromiseNamed: true, operandReplacements: true };
const PG_PROMISE_BINDINGS: BindingSyntax = { ...PLAIN, pgPromiseModifiers: true };
const KNEX_BINDINGS: BindingSyntax = { ...PLAIN, knex: true, operandReplacements: false };

/**
 * The SQL site a call's callee makes, or undefined when its first argument is not SQL. Query-builder
 * fragments (`.whereRaw`, `.selectRaw`, …) are never whole statements and are left alone.
 */
export function classifyCall(callee: ts.Expression): SqlSite | undefined {
  if (ts.isIdentifier(callee)) {
    const name = callee.text;
    if (!BARE.has(name)) return undefined;
    return { certainty: PRISMA_RAW.has(name) ? 'certain' : 'generic', rawInterpolations: true, bindings: PLAIN };
  }
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return undefined;
  const name = callee.name.text;
  if (PRISMA_RAW.has(name)) return { certainty: 'certain', rawInterpolations: true, bindings: PLAIN };
  if (name === 'raw') return { certainty: 'generic', rawInterpolations: true, bindings: KNEX_BINDINGS };
  if (PG_PROMISE.has(name)) return { certainty: 'generic', rawInterpolations: true, bindings: PG_PROMISE_BINDINGS };
  if (name === 'unsafe' && isSqlObject(callee.expression)) return { certainty: 'tag', rawInterpolations: true, bindings: PLAIN };
  if (GENERIC.has(name)) return { certainty: 'generic', rawInterpolations: true, bindings: PLAIN };
  return undefined;
}

export interface SqlTag extends SqlSite {
  /** Only ever a piece of a statement (`sql.fragment`): inlined where interpolated, never a region of its own. */
  fragmentOnly: boolean;
}

/** The SQL site a template tag makes: `sql`, `SQL`, `Prisma.sql`, `db.sql`, `sql.unsafe`, `prisma.$queryRaw`, … */
export function classifyTag(tag: ts.Expression): SqlTag | undefined {
  if (ts.isCallExpression(tag)) return classifyTagFactory(tag.expression);
  const name = ts.isIdentifier(tag) ? tag.text : ts.isPropertyAccessExpression(tag) ? memberName(tag) : undefined;
  if (name === undefined) return undefined;
  if (name === '$queryRaw' || name === '$executeRaw') return tagOf('certain', false);
  if (name === 'sql' || name === 'SQL') return tagOf('tag', false);
  if (!ts.isPropertyAccessExpression(tag) || !isSqlObject(tag.expression)) return undefined;
  if (name === 'unsafe') return tagOf('tag', true);
  if (name === 'fragment') return { ...tagOf('tag', false), fragmentOnly: true };
  return undefined;
}

/** slonik's `sql.type(schema)\`…\`` and `sql.typeAlias('name')\`…\``. */
function classifyTagFactory(factory: ts.Expression): SqlTag | undefined {
  if (!ts.isPropertyAccessExpression(factory) || !isSqlObject(factory.expression)) return undefined;
  const name = memberName(factory);
  return name === 'type' || name === 'typeAlias' ? tagOf('tag', false) : undefined;
}

function tagOf(certainty: Certainty, rawInterpolations: boolean): SqlTag {
  return { certainty, rawInterpolations, bindings: NO_BINDINGS, fragmentOnly: false };
}

/** `sql`, `this.sql`, `db.sql`: an object that is itself an sql tag. */
function isSqlObject(expression: ts.Expression): boolean {
  const name = ts.isIdentifier(expression)
    ? expression.text
    : ts.isPropertyAccessExpression(expression)
      ? memberName(expression)
      : undefined;
  return name === 'sql' || name === 'SQL';
}

function memberName(access: ts.PropertyAccessExpression): string | undefined {
  return ts.isIdentifier(access.name) ? access.name.text : undefined;
}
