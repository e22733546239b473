/**
 * A snapshot of everything a database holds that pglens must never change, for "nothing changed"
 * assertions: every user table's rows (count and an md5 over the rows as text, in a stable order that
 * needs no primary key), every sequence's last_value/is_called, the relations (tables, views,
 * sequences, …), the indexes (pg_indexes), the extensions, the functions and the large objects.
 * Read on a plain connection outside pglens; reading it changes nothing (a sequence is read with
 * SELECT, never nextval).
 *
 *   const before = await snapshotDatabase(client);
 *   … run pglens …
 *   expect(diffDatabaseStates(before, await snapshotDatabase(client))).toEqual([]);
 */

/** The part of `pg`'s Client (or a PoolClient) the snapshot needs. */
export interface QueryClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface TableState {
  rows: number;
  /** md5 of the rows' text forms, sorted; 'empty' for no rows. */
  md5: string;
}

export interface SequenceState {
  lastValue: string;
  isCalled: boolean;
}

export interface DatabaseState {
  /** `schema.table` → rows and checksum, for every ordinary table and materialized view. */
  tables: Record<string, TableState>;
  /** `schema.sequence` → its state. */
  sequences: Record<string, SequenceState>;
  /** `schema.name kind` for every relation outside the system schemas, sorted. */
  relations: string[];
  /** `schema.table.index: definition`, sorted. */
  indexes: string[];
  /** `name version`, sorted. */
  extensions: string[];
  /** `schema.name(args) volatility md5(body)`, sorted. */
  functions: string[];
  largeObjects: number;
}

const USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'";

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function snapshotDatabase(client: QueryClient): Promise<DatabaseState> {
  const { rows: relations } = await client.query(`
    SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_SCHEMAS} AND c.relkind IN ('r', 'p', 'm', 'S', 'v', 'f', 'i', 'I')
    ORDER BY 1, 2`);
  const state: DatabaseState = { tables: {}, sequences: {}, relations: [], indexes: [], extensions: [], functions: [], largeObjects: 0 };
  const tableQueries: string[] = [];
  const tableNames: string[] = [];
  for (const relation of relations) {
    const schema = String(relation.schema);
    const name = String(relation.name);
    const kind = String(relation.kind);
    const key = `${schema}.${name}`;
    state.relations.push(`${key} ${kind}`);
    const qualified = `${quoteIdent(schema)}.${quoteIdent(name)}`;
    if (kind === 'r' || kind === 'm') {
      // Sorted by the row's text: a stable order for any table, with or without a key.
      tableNames.push(key);
      tableQueries.push(`(SELECT json_build_array(count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C")), 'empty')) FROM ${qualified} t)`);
    } else if (kind === 'S') {
      const { rows } = await client.query(`SELECT last_value::text AS last_value, is_called FROM ${qualified}`);
      state.sequences[key] = { lastValue: String(rows[0].last_value), isCalled: rows[0].is_called === true };
    }
  }
  if (tableQueries.length) {
    // One round trip for every table.
    const { rows } = await client.query(`SELECT ${tableQueries.map((q, i) => `${q} AS t${i}`).join(', ')}`);
    tableNames.forEach((key, i) => {
      const [count, md5] = rows[0][`t${i}`] as [number, string];
      state.tables[key] = { rows: Number(count), md5 };
    });
  }
  const { rows: indexes } = await client.query(`
    SELECT schemaname || '.' || tablename || '.' || indexname || ': ' || indexdef AS line FROM pg_indexes
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1`);
  state.indexes = indexes.map((row) => String(row.line));
  const { rows: extensions } = await client.query(`SELECT extname || ' ' || extversion AS line FROM pg_extension ORDER BY 1`);
  state.extensions = extensions.map((row) => String(row.line));
  const { rows: functions } = await client.query(`
    SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || p.provolatile::text || ' ' || md5(coalesce(p.prosrc, '')) AS line
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMAS} ORDER BY 1`);
  state.functions = functions.map((row) => String(row.line));
  const { rows: objects } = await client.query('SELECT count(*)::int AS n FROM pg_largeobject_metadata');
  state.largeObjects = Number(objects[0].n);
  return state;
}

/** What differs between two snapshots, one line per difference; empty when nothing changed. */
export function diffDatabaseStates(before: DatabaseState, after: DatabaseState): string[] {
  const out: string[] = [];
  const keyed = <T>(what: string, a: Record<string, T>, b: Record<string, T>, show: (value: T) => string) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in b)) out.push(`${what} ${key} is gone (was ${show(a[key])})`);
      else if (!(key in a)) out.push(`${what} ${key} appeared (${show(b[key])})`);
      else if (show(a[key]) !== show(b[key])) out.push(`${what} ${key} changed: ${show(a[key])} → ${show(b[key])}`);
    }
  };
  keyed('table', before.tables, after.tables, (t) => `${t.rows} rows, md5 ${t.md5}`);
  keyed('sequence', before.sequences, after.sequences, (s) => `last_value ${s.lastValue}, is_called ${s.isCalled}`);
  const listed = (what: string, a: string[], b: string[]) => {
    const inA = new Set(a);
    const inB = new Set(b);
    for (const line of a) if (!inB.has(line)) out.push(`${what} gone: ${line}`);
    for (const line of b) if (!inA.has(line)) out.push(`${what} appeared: ${line}`);
  };
  listed('relation', before.relations, after.relations);
  listed('index', before.indexes, after.indexes);
  listed('extension', before.extensions, after.extensions);
  listed('function', before.functions, after.functions);
  if (before.largeObjects !== after.largeObjects) out.push(`large objects: ${before.largeObjects} → ${after.largeObjects}`);
  return out;
}

/**
 * Locks that sessions other than `client`'s hold in its database (relation, tuple, transaction id,
 * advisory…; not the virtual xid every open transaction has): after pglens is done, there must be none.
 */
export async function locksHeldByOthers(client: QueryClient): Promise<string[]> {
  const { rows } = await client.query(`
    SELECT l.locktype || ' ' || l.mode || coalesce(' on ' || l.relation::regclass::text, '')
           || coalesce(' key ' || l.classid || '/' || l.objid, '') || ' by pid ' || l.pid
           || ' (' || coalesce(a.application_name, '') || ', ' || coalesce(a.state, '') || ': ' || left(coalesce(a.query, ''), 80) || ')' AS line
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE a.datname = current_database() AND l.pid <> pg_backend_pid() AND l.locktype <> 'virtualxid' AND l.granted
    ORDER BY 1`);
  return rows.map((row) => String(row.line));
}
