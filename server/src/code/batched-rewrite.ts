import { leadingKeyword } from './sql-text';
import type { CallShape, ExpressionUse } from './summary';
import type { Lib } from './values';

/**
 * The batched form of a query that runs once per loop iteration, as Markdown for a hover: collect the
 * keys, run one query for all of them (`= ANY($1)`, `{ in: ids }`, `whereIn`, `inArray`, `In(ids)`…),
 * then look each item's rows up by key. Code is shown only where the rewrite is mechanical (a read or
 * delete keyed by one per-item value, with nothing else varying); otherwise the text says what to do.
 */
export interface BatchRequest {
  lib: Lib;
  /** The query call (the one inside the loop, or the one a called function reaches). */
  shape: CallShape;
  /** Names that change per iteration, as the query sees them. */
  varying: ReadonlySet<string>;
  /** The loop's collection and per-item names, as written at the loop. */
  collection?: string;
  itemNames: readonly string[];
  /** For a query reached through a function: the function, and the argument the loop passes for the key. */
  through?: { name: string; keyAtLoop?: string };
}

interface Key {
  /** As written in the query: `user_id`, `users.id`. */
  column: string;
  value: ExpressionUse;
  /** 1-based SQL placeholder the key is bound to, for SQL calls. */
  placeholder?: number;
}

interface Batch {
  code: string[];
  /** Variable holding the fetched rows, when there are rows to map back. */
  rows?: string;
  note?: string;
}

const EACH_ELEMENT = 'each element';

export function batchedRewrite(request: BatchRequest): string {
  const { shape } = request;
  const header = request.through
    ? `**One query instead of one per item.** \`${request.through.name}\` runs \`${shape.callee}\` for a single key; give it a batched variant that takes all keys at once:`
    : '**One query instead of one per item.** Collect the keys, run one query for all of them, then look each item up by key:';
  const key = findKey(shape, request.varying);
  const batch = key && !otherValuesVary(shape, key, request.varying) ? renderBatch(request.lib, shape, key, keysName(request, key)) : undefined;
  if (!key || !batch) return `${header}\n\n${key || isWrite(shape) ? writeAdvice(shape) : fallbackAdvice(shape)}`;

  const keys = keysName(request, key);
  const source = keysSource(request, key);
  const lines = source === keys ? [] : [`const ${keys} = ${source};`];
  lines.push(...batch.code);
  let after = 'Run it once, before or after the loop, instead of once per item.';
  if (batch.rows) {
    const field = lastPart(key.column);
    const lookup = `by${capitalise(field)}`;
    if (returnsOneRow(shape)) {
      lines.push(`const ${lookup} = new Map(${batch.rows}.map((row) => [row.${field}, row]));`);
      after = `Inside the loop, read \`${lookup}.get(${keyAtLoop(request, key)})\` instead of querying.`;
    } else {
      lines.push(`const ${lookup} = new Map<unknown, (typeof ${batch.rows})[number][]>();`, `for (const row of ${batch.rows}) ${lookup}.set(row.${field}, [...(${lookup}.get(row.${field}) ?? []), row]);`);
      after = `Inside the loop, read \`${lookup}.get(${keyAtLoop(request, key)}) ?? []\` instead of querying.`;
    }
  }
  return [header, '', '```ts', ...lines, '```', after, ...(batch.note ? ['', batch.note] : [])].join('\n');
}

/** The parameter or filter that carries the per-item value. */
function findKey(shape: CallShape, varying: ReadonlySet<string>): Key | undefined {
  if (shape.sql && shape.params) {
    for (let i = 0; i < shape.params.length; i++) {
      if (!varies(shape.params[i], varying)) continue;
      const column = columnComparedTo(shape.sql, i + 1);
      if (column) return { column, value: shape.params[i], placeholder: i + 1 };
    }
  }
  for (const filter of shape.filters ?? []) if (varies(filter.value, varying)) return { column: filter.column, value: filter.value };
  return undefined;
}

function varies(use: ExpressionUse, varying: ReadonlySet<string>): boolean {
  return use.text.startsWith(EACH_ELEMENT) || use.idents.some((name) => varying.has(name));
}

/** Anything but the key that changes per item (values written, other filters): no mechanical rewrite. */
function otherValuesVary(shape: CallShape, key: Key, varying: ReadonlySet<string>): boolean {
  const keyPaths = new Set(key.value.paths ?? key.value.idents);
  const others = shape.sql && shape.params ? shape.params.filter((_, i) => i + 1 !== key.placeholder) : (shape.args ?? []);
  const rootVaries = (path: string) => varying.has(path.split('.')[0]);
  return others.some((use) => (use.paths ?? use.idents).some((path) => rootVaries(path) && !keyPaths.has(path)));
}

const IDENTIFIER = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = `${IDENTIFIER}(?:\\.${IDENTIFIER})?`;

/** The column in `column = $n` (or `$n = column`). */
function columnComparedTo(sql: string, placeholder: number): string | undefined {
  const match = new RegExp(`(${QUALIFIED})\\s*=\\s*\\$${placeholder}(?!\\d)`).exec(sql) ?? new RegExp(`\\$${placeholder}(?!\\d)\\s*=\\s*(${QUALIFIED})`).exec(sql);
  return match?.[1];
}

/** `sql` with `column = $n` turned into `column = ANY($n)` (or `replacement`), and `LIMIT 1` dropped. */
export function batchSql(sql: string, placeholder: number, replacement?: (column: string) => string): string | undefined {
  const column = columnComparedTo(sql, placeholder);
  if (!column) return undefined;
  const quoted = escapeRegExp(column);
  const pattern = new RegExp(`${quoted}\\s*=\\s*\\$${placeholder}(?!\\d)|\\$${placeholder}(?!\\d)\\s*=\\s*${quoted}`);
  const batched = sql.replace(pattern, replacement ? replacement(column) : `${column} = ANY($${placeholder})`).replace(/\s+LIMIT\s+1\b/i, '');
  return isAggregate(batched) ? groupedBy(batched, column) : batched;
}

const AGGREGATE = /\b(?:count|sum|avg|min|max|bool_and|bool_or|every|array_agg|string_agg|json_agg|jsonb_agg)\s*\(/i;

/** A single-row aggregate (`SELECT count(*) … WHERE k = $1`): batched, it needs one row per key. */
function isAggregate(sql: string): boolean {
  const select = /^\s*SELECT\s+([\s\S]*?)\s+FROM\s/i.exec(sql);
  return !!select && AGGREGATE.test(select[1]) && !/\bGROUP\s+BY\b/i.test(sql);
}

/** Adds the key column to the select list and groups by it. */
function groupedBy(sql: string, column: string): string {
  const withKey = sql.replace(/^(\s*SELECT\s+)/i, `$1${column}, `);
  const tail = /\s+(ORDER\s+BY|LIMIT|OFFSET|FOR\s+UPDATE)\b[\s\S]*$/i.exec(withKey);
  const cut = tail ? tail.index : withKey.trimEnd().length;
  return `${withKey.slice(0, cut)} GROUP BY ${column}${withKey.slice(cut)}`;
}

function renderBatch(lib: Lib, shape: CallShape, key: Key, keys: string): Batch | undefined {
  if (shape.sql && key.placeholder) {
    const kind = leadingKeyword(shape.sql);
    if (kind !== 'SELECT' && kind !== 'WITH' && kind !== 'DELETE' && kind !== 'UPDATE') return undefined;
    const reads = kind === 'SELECT' || kind === 'WITH';
    const call = shape.tagged ? renderTagged(lib, shape, key.placeholder, keys, reads) : renderParameterised(lib, shape, key.placeholder, keys, reads);
    return call ? { code: [call], rows: reads ? 'rows' : undefined } : undefined;
  }
  const column = lastPart(key.column);
  const receiver = receiverOf(shape.callee);
  switch (lib) {
    case 'prisma':
      return renderPrisma(shape, receiver, column, keys);
    case 'knex':
      return renderKnex(shape, key.column, keys);
    case 'kysely':
      return renderKysely(shape, key.column, keys);
    case 'drizzle':
      return renderDrizzle(shape, key.column, keys);
    case 'typeorm':
      return renderTypeorm(shape, receiver, column, keys);
    case 'sequelize':
      return renderSequelize(shape, receiver, column, keys);
    default:
      return undefined;
  }
}

/** `pool.query('… = ANY($1)', [keys])`: the array is one parameter. */
function renderParameterised(lib: Lib, shape: CallShape, placeholder: number, keys: string, reads: boolean): string | undefined {
  const batched = batchSql(shape.sql ?? '', placeholder);
  if (!batched || !shape.params) return undefined;
  const values = shape.params.map((param, i) => (i + 1 === placeholder ? keys : param.text));
  const pgLike = lib === 'pg' || lib === 'generic' || lib === 'pg-serverless';
  // pg-promise's one/oneOrNone/many expect a row count: many rows come back through `any`.
  const callee = lib === 'pg-promise' && reads ? `${receiverOf(shape.callee)}.any` : shape.callee;
  const call = `await ${callee}(${quote(batched.trim())}, [${values.join(', ')}]);`;
  return reads ? `const ${pgLike ? '{ rows }' : 'rows'} = ${call}` : call;
}

/** A tagged template: the values go back where the placeholders were, the keys as the library wants. */
function renderTagged(lib: Lib, shape: CallShape, placeholder: number, keys: string, reads: boolean): string | undefined {
  let keysValue: string;
  let open: string;
  let close = '';
  switch (lib) {
    case 'postgres':
      keysValue = `in \${sql(${keys})}`;
      open = rootOf(shape.callee);
      break;
    case 'prisma':
    case 'pg-serverless':
      keysValue = `= ANY(\${${keys}})`;
      open = shape.callee;
      break;
    case 'slonik':
      keysValue = `= ANY(\${sql.array(${keys}, /* the column's type, e.g. 'int4' */)})`;
      open = `${receiverOf(shape.callee)}.${reads ? 'any' : 'query'}(sql.unsafe`;
      close = ')';
      break;
    default:
      return undefined;
  }
  const batched = batchSql(shape.sql ?? '', placeholder, (column) => `${column} ${keysValue}`);
  if (!batched) return undefined;
  const params = shape.params ?? [];
  const template = batched.replace(/\$(\d+)(?!\d)/g, (match, i: string) => (params[Number(i) - 1] ? `\${${params[Number(i) - 1].text}}` : match));
  const call = `await ${open}\`${template.trim()}\`${close};`;
  return reads ? `const ${lib === 'pg-serverless' ? '{ rows }' : 'rows'} = ${call}` : call;
}

function renderPrisma(shape: CallShape, receiver: string, column: string, keys: string): Batch | undefined {
  const method = shape.method;
  if (/^find(Unique|First|Many)(OrThrow)?$/.test(method)) {
    const relation = /^(\w+)Id$/.exec(column)?.[1];
    const note = relation ? `Or load it with the query that produced the items: \`include: { ${relation}: true }\`.` : undefined;
    return { code: [`const rows = await ${receiver}.findMany({ where: { ${column}: { in: ${keys} } } });`], rows: 'rows', note };
  }
  if (method === 'count') return { code: [`const rows = await ${receiver}.groupBy({ by: ['${column}'], where: { ${column}: { in: ${keys} } }, _count: true });`], rows: 'rows' };
  if (method === 'delete' || method === 'deleteMany') return { code: [`await ${receiver}.deleteMany({ where: { ${column}: { in: ${keys} } } });`] };
  if (method === 'update' || method === 'updateMany') {
    const data = shape.args?.[0]?.text.match(/data:\s*(\{[^}]*\})/)?.[1];
    return data ? { code: [`await ${receiver}.updateMany({ where: { ${column}: { in: ${keys} } }, data: ${data} });`] } : undefined;
  }
  return undefined;
}

function renderKnex(shape: CallShape, column: string, keys: string): Batch | undefined {
  const root = rootOf(shape.callee);
  const table = shape.target ? `'${shape.target}'` : undefined;
  if (!table) return undefined;
  if (/\.(del|delete)\(\)$|\.(del|delete)$/.test(shape.callee)) return { code: [`await ${root}(${table}).whereIn('${column}', ${keys}).del();`] };
  if (/\.(update|increment|decrement|insert|upsert|merge|onConflict|raw)\b/.test(shape.callee)) return undefined;
  return { code: [`const rows = await ${root}(${table}).whereIn('${column}', ${keys});`], rows: 'rows' };
}

function renderKysely(shape: CallShape, column: string, keys: string): Batch | undefined {
  const root = rootOf(shape.callee);
  const table = shape.target;
  if (!table) return undefined;
  if (shape.callee.includes('.deleteFrom')) return { code: [`await ${root}.deleteFrom('${table}').where('${column}', 'in', ${keys}).execute();`] };
  if (!shape.callee.includes('.selectFrom')) return undefined;
  return { code: [`const rows = await ${root}.selectFrom('${table}').selectAll().where('${column}', 'in', ${keys}).execute();`], rows: 'rows' };
}

function renderDrizzle(shape: CallShape, column: string, keys: string): Batch | undefined {
  const root = rootOf(shape.callee);
  if (!column.includes('.')) return undefined;
  const relational = /^(.*\.query\.\w+)\.find(First|Many)$/.exec(shape.callee);
  if (relational) return { code: [`const rows = await ${relational[1]}.findMany({ where: inArray(${column}, ${keys}) });`], rows: 'rows' };
  const table = column.slice(0, column.lastIndexOf('.'));
  if (/\.delete\(/.test(shape.callee)) return { code: [`await ${root}.delete(${table}).where(inArray(${column}, ${keys}));`] };
  if (!/\.select\w*\(\)/.test(shape.callee)) return undefined;
  return { code: [`const rows = await ${root}.select().from(${table}).where(inArray(${column}, ${keys}));`], rows: 'rows' };
}

function renderTypeorm(shape: CallShape, receiver: string, column: string, keys: string): Batch | undefined {
  switch (shape.method) {
    case 'findOneBy':
    case 'findBy':
    case 'findOneByOrFail':
      return { code: [`const rows = await ${receiver}.findBy({ ${column}: In(${keys}) });`], rows: 'rows' };
    case 'findOne':
    case 'find':
    case 'findOneOrFail':
      return { code: [`const rows = await ${receiver}.find({ where: { ${column}: In(${keys}) } });`], rows: 'rows' };
    case 'delete': {
      const entity = shape.args?.length === 2 ? `${shape.args[0].text}, ` : '';
      return { code: [`await ${receiver}.delete(${entity}{ ${column}: In(${keys}) });`] };
    }
    default:
      return undefined;
  }
}

function renderSequelize(shape: CallShape, receiver: string, column: string, keys: string): Batch | undefined {
  if (shape.method === 'findByPk' || shape.method === 'findOne' || shape.method === 'findAll') {
    return { code: [`const rows = await ${receiver}.findAll({ where: { ${column}: ${keys} } });`], rows: 'rows' };
  }
  if (shape.method === 'destroy') return { code: [`await ${receiver}.destroy({ where: { ${column}: ${keys} } });`] };
  return undefined;
}

const INSERTING = /\b(create|createMany|insert|insertInto|save|bulkCreate|upsert|values)\b/;

/** The call writes (INSERT, UPDATE, create, save…) rather than reads. */
export function isWrite(shape: CallShape): boolean {
  const kind = leadingKeyword(shape.sql ?? '');
  return kind === 'INSERT' || kind === 'UPDATE' || INSERTING.test(shape.callee) || /\b(update|updateTable|increment|decrement|set)\b/.test(shape.callee);
}

function writeAdvice(shape: CallShape): string {
  const kind = leadingKeyword(shape.sql ?? '');
  if (kind === 'INSERT' || (kind !== 'UPDATE' && INSERTING.test(shape.callee))) {
    return 'Write all rows with one statement: a multi-row insert (`createMany`, `bulkCreate`, `insert([...])`, `.values([...])`), or `INSERT INTO t (a, b) SELECT * FROM unnest($1::<type of a>[], $2::<type of b>[])` with one array per column.';
  }
  return 'Update all rows with one statement: `UPDATE t SET col = v.col FROM unnest($1::<key type>[], $2::<col type>[]) AS v(key, col) WHERE t.key = v.key`, one array per column (or `updateMany` when every row gets the same change).';
}

function fallbackAdvice(shape: CallShape): string {
  return `Collect the values the loop passes to \`${shape.callee}\`, fetch the rows for all of them with one query (\`WHERE key = ANY($1)\`, \`{ in: keys }\`, \`whereIn\`, \`inArray\`), then look each item up in a \`Map\` by key; or join the data into the query that produced the items.`;
}

function returnsOneRow(shape: CallShape): boolean {
  return (
    /^(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findOne|findOneBy|findOneOrFail|findOneByOrFail|findByPk|first|executeTakeFirst|executeTakeFirstOrThrow|one|oneOrNone|maybeOne)$/.test(shape.method) ||
    /\bLIMIT\s+1\b/i.test(shape.sql ?? '')
  );
}

/** The key expression as the loop writes it. */
function keyAtLoop(request: BatchRequest, key: Key): string {
  const text = request.through?.keyAtLoop ?? key.value.text;
  return text.startsWith(EACH_ELEMENT) ? 'element' : text;
}

/** Where the keys come from at the loop: the collection itself, or a map over it. */
function keysSource(request: BatchRequest, key: Key): string {
  const { collection, itemNames } = request;
  const atLoop = request.through?.keyAtLoop ?? key.value.text;
  if (atLoop.startsWith(EACH_ELEMENT)) return collection ?? '/* the keys of all items */';
  if (!collection) return `/* ${atLoop} of every item */`;
  if (itemNames.includes(atLoop)) return collection;
  const item = itemNames.find((name) => atLoop.startsWith(`${name}.`) || atLoop.startsWith(`${name}[`) || atLoop.startsWith(`${name}?.`));
  return item ? `${collection}.map((${item}) => ${atLoop})` : `${collection}.map((item) => /* ${atLoop} */)`;
}

/** The keys' variable: the collection itself when it already is the keys, else a plural of the key. */
function keysName(request: BatchRequest, key: Key): string {
  const source = keysSource(request, key);
  if (/^[A-Za-z_$][\w$]*$/.test(source)) return source;
  const atLoop = request.through?.keyAtLoop ?? key.value.text;
  const base = camel(lastIdentifier(atLoop.startsWith(EACH_ELEMENT) ? key.column : atLoop));
  return base.endsWith('s') ? `${base}List` : `${base}s`;
}

function lastPart(column: string): string {
  return column.split('.').pop()?.replace(/"/g, '') ?? column;
}

function lastIdentifier(text: string): string {
  return /([A-Za-z_$][\w$]*)\W*$/.exec(text)?.[1] ?? 'key';
}

function camel(name: string): string {
  const parts = name.split(/_+/).filter(Boolean);
  return parts.map((part, i) => (i === 0 ? part.charAt(0).toLowerCase() + part.slice(1) : part.charAt(0).toUpperCase() + part.slice(1))).join('') || 'key';
}

function capitalise(name: string): string {
  const camelName = camel(name);
  return camelName.charAt(0).toUpperCase() + camelName.slice(1);
}

/** `prisma.user` for `prisma.user.findUnique`. */
function receiverOf(callee: string): string {
  const dot = callee.lastIndexOf('.');
  return dot > 0 ? callee.slice(0, dot) : callee;
}

/** `this.db` for `this.db().where().first`, `db` for `db.selectFrom()…`. */
function rootOf(callee: string): string {
  const match = /^[\w$.]+?(?=\(|\.(?:selectFrom|insertInto|updateTable|deleteFrom|select\w*|insert|update|delete|query)\b|$)/.exec(callee);
  return match?.[0] ?? callee;
}

function quote(sql: string): string {
  if (sql.includes('\n') || sql.includes("'")) return `\`${sql.replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
  return `'${sql}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
