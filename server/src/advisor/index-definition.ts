import { createHash } from 'node:crypto';
import { quoteIdent, quoteQualified } from '../sql/identifiers';

/**
 * An index the advisor may propose, in a form every consumer can use: the DDL for hypopg and the
 * database, a readable name for migrations, the parts Prisma's `@@index` can express.
 */
export interface IndexKey {
  /** The key as it goes inside `ON t (…)`: a quoted column, `lower(email)`, or `(a + b)`. */
  sql: string;
  /** The plain column, when the key is one. */
  column?: string;
  /** The columns the key reads (one for a column key). */
  columns: string[];
  descending?: boolean;
  /** NULLS FIRST / LAST, written only when it differs from the direction's default. */
  nulls?: 'first' | 'last';
}

export type IndexKind = 'single' | 'composite' | 'partial' | 'covering' | 'expression';

export interface IndexDefinition {
  schema: string;
  table: string;
  keys: IndexKey[];
  /** INCLUDE columns (plain column names). */
  include: string[];
  /** Partial-index predicate over bare column names, e.g. `status = 'pending'`. */
  where?: string;
  /** Words for the name that the predicate contributes, e.g. `pending`. */
  whereLabel?: string;
}

/** PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN − 1). */
const MAX_NAME_BYTES = 63;

export function indexKind(index: IndexDefinition): IndexKind {
  if (index.where) return 'partial';
  if (index.keys.some((key) => key.column === undefined)) return 'expression';
  if (index.include.length > 0) return 'covering';
  return index.keys.length > 1 ? 'composite' : 'single';
}

/** `orders_customer_id_created_at_idx`, `customers_lower_email_idx`, `orders_created_at_pending_idx`. */
export function indexName(index: IndexDefinition): string {
  const words = [index.table, ...index.keys.map(keyWords)];
  if (index.whereLabel) words.push(index.whereLabel);
  const name = `${words.join('_')}_idx`.replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_');
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  // Too long: keep a readable start and make it unique with a short hash of the whole definition.
  const hash = createHash('sha1').update(indexSignature(index)).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME_BYTES - hash.length - 5).replace(/_+$/, '')}_${hash}_idx`;
}

function keyWords(key: IndexKey): string {
  if (key.column !== undefined) return key.column.toLowerCase();
  // `lower(email)` → `lower_email`: the function and column names, in order.
  const words = key.sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? ['expr'];
  return words.filter((word) => !['text', 'varchar', 'int', 'integer', 'bigint', 'date', 'timestamptz', 'timestamp'].includes(word)).join('_') || 'expr';
}

export interface DdlOptions {
  /** Default: the readable name. */
  name?: string;
  /** Omit the name, as hypopg wants. */
  anonymous?: boolean;
  concurrently?: boolean;
  ifNotExists?: boolean;
}

/** `CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON table (keys) [INCLUDE (…)] [WHERE …]`. */
export function indexDdl(index: IndexDefinition, options: DdlOptions = {}): string {
  const parts = ['CREATE INDEX'];
  if (options.concurrently) parts.push('CONCURRENTLY');
  if (!options.anonymous) {
    if (options.ifNotExists) parts.push('IF NOT EXISTS');
    parts.push(quoteIdent(options.name ?? indexName(index)));
  }
  parts.push('ON', tableSql(index), `(${index.keys.map(keySql).join(', ')})`);
  if (index.include.length) parts.push(`INCLUDE (${index.include.map(quoteIdent).join(', ')})`);
  if (index.where) parts.push(`WHERE ${index.where}`);
  return parts.join(' ');
}

/** The DDL a suggestion shows and a migration runs: concurrent, and harmless to run twice. */
export function suggestedDdl(index: IndexDefinition): string {
  return indexDdl(index, { concurrently: true, ifNotExists: true });
}

/** `DROP INDEX CONCURRENTLY IF EXISTS name`, for a migration's down step. */
export function dropIndexDdl(index: IndexDefinition, options: { concurrently?: boolean } = {}): string {
  const name = index.schema === 'public' ? quoteIdent(indexName(index)) : quoteQualified(indexName(index), index.schema);
  return `DROP INDEX ${options.concurrently === false ? '' : 'CONCURRENTLY '}IF EXISTS ${name}`;
}

export function keySql(key: IndexKey): string {
  let text = key.sql;
  if (key.descending) text += ' DESC';
  if (key.nulls) text += ` NULLS ${key.nulls.toUpperCase()}`;
  return text;
}

/** The table as written in DDL: bare in `public`, schema-qualified elsewhere. */
export function tableSql(index: { schema: string; table: string }): string {
  return index.schema === 'public' ? quoteIdent(index.table) : quoteQualified(index.table, index.schema);
}

/** The table as shown to people: `orders`, `sales.orders`. */
export function tableLabel(index: { schema: string; table: string }): string {
  return index.schema === 'public' ? index.table : `${index.schema}.${index.table}`;
}

/** Identifies an index by what it holds, not its name: equal signatures are the same index. */
export function indexSignature(index: IndexDefinition): string {
  return indexDdl(index, { anonymous: true });
}

/** The columns an index stores (keys and INCLUDE), for index-only scans. */
export function storedColumns(index: IndexDefinition): Set<string> {
  return new Set([...index.keys.flatMap((key) => key.columns), ...index.include]);
}
