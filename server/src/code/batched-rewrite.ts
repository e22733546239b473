import { leadingKeyword } from './sql-text';
import type { CallShape, ExpressionUse } from './summary';
import type { Lib } from './values';

/**
 * The batched form of a query that runs once per loop iteration, as Markdown for a hover: collect the
 * keys, run one query for all of them (`= ANY($1)`, `{ in: ids }`, `whereIn`, `inArray`, `In(ids)`…),
 * then look each item's rows up by key. Where the per-item key cannot be read from the call, the text
 * says what to do in words rather than guess code.
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
  column: string;
  /** The key expression as the query call writes it. */
  value: string;
  /** 1-based SQL placeholder the key is bound to, for SQL calls. */
  placeholder?: number;
}

export function batchedRewrite(request: BatchRequest): string {
  const key = findKey(request.shape, request.varying);
  const header = request.through
    ? `**One query instead of one per item.** \`${request.through.name}\` runs \`${request.shape.callee}\` for a single key; give it a batched variant that takes all keys at once:`
    : '**One query instead of one per item.** Collect the keys, run one query for all of them, then look each item up by key:';
  if (!key) return `${header}\n\n${fallbackAdvice(request.shape)}`;

  const keyAtLoop = request.through?.keyAtLoop ?? key.value;
  const keys = keysVariable(keyAtLoop, key.column);
  const source = keysSource(keyAtLoop, request);
  const lines = source === keys ? [] : [`const ${keys} = ${source};`];
  const single = returnsOneRow(request.shape);
  const body = renderBatch(request.lib, request.shape, key, keys);
  if (!body) return `${header}\n\n${fallbackAdvice(request.shape)}`;
  lines.push(...body.code);
  const field = body.field ?? propertyName(key.column);
  const lookup = `by${capitalise(lastIdentifier(keyAtLoop.startsWith('each element') ? field : keyAtLoop))}`;
  if (body.rows) {
    lines.push(
      single
        ? `const ${lookup} = new Map(${body.rows}.map((row) => [row.${field}, row]));`
        : `const ${lookup} = new Map<unknown, (typeof ${body.rows})[number][]>();\nfor (const row of ${body.rows}) ${lookup}.set(row.${field}, [...(${lookup}.get(row.${field}) ?? []), row]);`,
    );
  }
  const after = body.rows
    ? `Inside the loop, read \`${lookup}.get(${keyAtLoop})\` instead of querying${single ? '' : ' (several rows may share a key)'}.`
    : 'Run it once, before or after the loop, instead of once per item.';
  return [header, '', '```ts', ...lines, '```', after, ...(body.note ? ['', body.note] : [])].join('\n');
}

/** The parameter or filter that carries the per-item value. */
function findKey(shape: CallShape, varying: ReadonlySet<string>): Key | undefined {
  const varies = (use: ExpressionUse) => use.idents.some((name) => varying.has(name)) || use.text.startsWith('each element');
  if (shape.sql && shape.params) {
    for (let i = 0; i < shape.params.length; i++) {
      if (!varies(shape.params[i])) continue;
      const column = columnComparedTo(shape.sql, i + 1);
      if (column) return { column, value: shape.params[i].text, placeholder: i + 1 };
    }
  }
  for (const filter of shape.filters ?? []) if (varies(filter.value)) return { column: filter.column, value: filter.value.text };
  return undefined;
}

const IDENTIFIER = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)`;

/** The column in `column = $n` (or `$n = column`). */
function columnComparedTo(sql: string, placeholder: number): string | undefined {
  const qualified = `${IDENTIFIER}(?:\\.${IDENTIFIER})?`;
  const match = new RegExp(`(${qualified})\\s*=\\s*\\$${placeholder}(?!\\d)`).exec(sql) ?? new RegExp(`\\$${placeholder}(?!\\d)\\s*=\\s*(${qualified})`).exec(sql);
  return match?.[1];
}

/** `sql` with `column = $n` turned into `column = ANY($n)` (or `replacement`), and `LIMIT 1` dropped. */
export function batchSql(sql: string, placeholder: number, replacement?: (column: string) => string): string | undefined {
  const column = columnComparedTo(sql, placeholder);
  if (!column) return undefined;
  const pattern = new RegExp(`${escapeRegExp(column)}\\s*=\\s*\\$${placeholder}(?!\\d)|\\$${placeholder}(?!\\d)\\s*=\\s*${escapeRegExp(column)}`);
  return sql.replace(pattern, replacement ? replacement(column) : `${column} = ANY($${placeholder})`).replace(/\s+LIMIT\s+1\b/i, '');
}

interface Batch {
  code: string[];
  /** Variable holding the fetched rows, when there are rows to map back. */
  rows?: string;
  /** Row property carrying the key, when it differs from the column's last part. */
  field?: string;
  note?: string;
}

function renderBatch(lib: Lib, shape: CallShape, key: Key, keys: string): Batch | undefined {
  const kind = leadingKeyword(shape.sql ?? '');
  if (shape.sql && key.placeholder) {
    if (kind === 'INSERT' || (kind === 'UPDATE' && (shape.params?.length ?? 0) > 1)) return { code: [], note: unnestNote(kind) };
    const sqlCall = renderSqlCall(lib, shape, key, keys);
    if (sqlCall) return { ...sqlCall, rows: kind === 'SELECT' || kind === 'WITH' ? 'rows' : undefined };
  }
  const receiver = receiverOf(shape.callee);
  const column = propertyName(key.column);
  switch (lib) {
    case 'prisma':
      return renderPrisma(shape, receiver, column, keys);
    case 'knex':
      return { code: [`const rows = await ${rootOf(shape.callee)}('${shape.target ?? 'table'}').whereIn('${key.column}', ${keys});`], rows: 'rows' };
    case 'kysely':
      return renderKysely(shape, column, key.column, keys);
    case 'drizzle':
      return renderDrizzle(shape, column, keys);
    case 'typeorm':
      return renderTypeorm(shape, receiver, column, keys);
    case 'sequelize':
      return renderSequelize(shape, receiver, column, keys);
    default:
      return undefined;
  }
}

function renderSqlCall(lib: Lib, shape: CallShape, key: Key, keys: string): Batch | undefined {
  const n = key.placeholder as number;
  const params = shape.params ?? [];
  if (lib === 'postgres' || (lib === 'prisma' && shape.method.startsWith('$')) || (lib === 'slonik' && !shape.sql?.includes('$'))) {
    // A tagged template: put the values back where the placeholders were.
    const keysValue = lib === 'postgres' ? `in \${sql(${keys})}` : lib === 'slonik' ? `= ANY(\${sql.array(${keys}, 'text')})` : `= ANY(\${${keys}})`;
    const batched = batchSql(shape.sql ?? '', n, (column) => `${column} ${keysValue}`);
    if (!batched) return undefined;
    const template = batched.replace(/\$(\d+)(?!\d)/g, (_, i: string) => `\${${params[Number(i) - 1]?.text ?? 'value'}}`);
    const tag = lib === 'postgres' ? rootOf(shape.callee) : lib === 'slonik' ? `${receiverOf(shape.callee)}.any(sql.unsafe` : shape.callee;
    return { code: [`const rows = await ${tag}\`${template.trim()}\`${lib === 'slonik' ? ')' : ''};`] };
  }
  const batched = batchSql(shape.sql ?? '', n);
  if (!batched) return undefined;
  const values = params.map((param, i) => (i + 1 === n ? keys : param.text));
  const destructure = lib === 'pg' || lib === 'generic' ? '{ rows }' : 'rows';
  return { code: [`const ${destructure} = await ${shape.callee}(${quote(batched.trim())}, [${values.join(', ')}]);`] };
}

function renderPrisma(shape: CallShape, receiver: string, column: string, keys: string): Batch | undefined {
  const method = shape.method;
  const relation = /^(\w+)Id$/.exec(column)?.[1];
  const includeNote = relation ? `Or load it with the query that produced the items: \`include: { ${relation}: true }\`.` : undefined;
  if (/^find(Unique|First|Many)(OrThrow)?$/.test(method)) {
    return { code: [`const rows = await ${receiver}.findMany({ where: { ${column}: { in: ${keys} } } });`], rows: 'rows', note: includeNote };
  }
  if (method === 'count') return { code: [`const counts = await ${receiver}.groupBy({ by: ['${column}'], where: { ${column}: { in: ${keys} } }, _count: true });`], rows: 'counts' };
  if (method === 'delete') return { code: [`await ${receiver}.deleteMany({ where: { ${column}: { in: ${keys} } } });`] };
  if (method === 'update') return { code: [`await ${receiver}.updateMany({ where: { ${column}: { in: ${keys} } }, data: { /* the same change for every row */ } });`], note: 'If each row gets different values, send one `UPDATE … FROM (VALUES …)` through `$executeRaw` instead.' };
  if (method === 'upsert' || method === 'create') {
    return { code: [`await ${receiver}.createMany({ data: /* one object per item */, skipDuplicates: true });`], note: 'Prisma has no batched upsert: `createMany` with `skipDuplicates` covers inserts; for updates use one `INSERT … ON CONFLICT … DO UPDATE` through `$executeRaw`.' };
  }
  return undefined;
}

function renderKysely(shape: CallShape, column: string, qualified: string, keys: string): Batch | undefined {
  const root = rootOf(shape.callee);
  const table = shape.target ?? 'table';
  if (shape.callee.includes('.insertInto')) return { code: [`await ${root}.insertInto('${table}').values(/* one row per item */).execute();`] };
  if (shape.callee.includes('.deleteFrom')) return { code: [`await ${root}.deleteFrom('${table}').where('${qualified}', 'in', ${keys}).execute();`] };
  if (shape.callee.includes('.updateTable')) return undefined;
  return { code: [`const rows = await ${root}.selectFrom('${table}').selectAll().where('${qualified}', 'in', ${keys}).execute();`], rows: 'rows', field: column };
}

function renderDrizzle(shape: CallShape, column: string, keys: string): Batch | undefined {
  const root = rootOf(shape.callee);
  const table = shape.target ?? 'table';
  if (shape.callee.includes('.insert')) return { code: [`await ${root}.insert(${table}).values(/* one row per item */);`] };
  if (shape.callee.includes('.update')) return undefined;
  if (shape.callee.includes('.delete')) return { code: [`await ${root}.delete(${table}).where(inArray(${table}.${column}, ${keys}));`] };
  return { code: [`const rows = await ${root}.select().from(${table}).where(inArray(${table}.${column}, ${keys}));`], rows: 'rows' };
}

function renderTypeorm(shape: CallShape, receiver: string, column: string, keys: string): Batch | undefined {
  const method = shape.method;
  if (method === 'findOneBy' || method === 'findBy' || method === 'findOneByOrFail') {
    return { code: [`const rows = await ${receiver}.findBy({ ${column}: In(${keys}) });`], rows: 'rows' };
  }
  if (method === 'findOne' || method === 'find' || method === 'findOneOrFail') {
    return { code: [`const rows = await ${receiver}.find({ where: { ${column}: In(${keys}) } });`], rows: 'rows' };
  }
  if (method === 'delete' || method === 'softDelete') {
    const entity = shape.args?.length === 2 ? `${shape.args[0].text}, ` : '';
    return { code: [`await ${receiver}.${method}(${entity}{ ${column}: In(${keys}) });`] };
  }
  return undefined;
}

function renderSequelize(shape: CallShape, receiver: string, column: string, keys: string): Batch | undefined {
  if (shape.method === 'findByPk' || shape.method === 'findOne' || shape.method === 'findAll') {
    return { code: [`const rows = await ${receiver}.findAll({ where: { ${column}: ${keys} } });`], rows: 'rows' };
  }
  if (['sum', 'count', 'max', 'min'].includes(shape.method)) {
    const aggregated = shape.args?.[0]?.text ?? "'column'";
    return {
      code: [`const rows = await ${receiver}.findAll({ attributes: ['${column}', [fn('${shape.method}', col(${aggregated})), '${shape.method}']], where: { ${column}: ${keys} }, group: ['${column}'], raw: true });`],
      rows: 'rows',
    };
  }
  return undefined;
}

function unnestNote(kind: string): string {
  return kind === 'INSERT'
    ? 'Insert all rows with one statement: pass one array per column and `INSERT INTO … (a, b) SELECT * FROM unnest($1::<type of a>[], $2::<type of b>[])`, or a multi-row `VALUES` list.'
    : 'Update all rows with one statement: `UPDATE t SET col = v.col FROM unnest($1::<key type>[], $2::<col type>[]) AS v(key, col) WHERE t.key = v.key`, one array per column.';
}

function fallbackAdvice(shape: CallShape): string {
  return `Collect the values the loop passes to \`${shape.callee}\`, fetch the rows for all of them with one query (\`WHERE key = ANY($1)\`, \`{ in: keys }\`, \`whereIn\`, \`inArray\`), then look each item up in a \`Map\` by key; or join the data into the query that produced the items.`;
}

function returnsOneRow(shape: CallShape): boolean {
  return /^(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findOne|findOneBy|findOneOrFail|findOneByOrFail|findByPk|first|executeTakeFirst|executeTakeFirstOrThrow|one|oneOrNone|maybeOne)$/.test(shape.method) || /\bLIMIT\s+1\b/i.test(shape.sql ?? '');
}

/** Where the keys come from at the loop: the collection itself, or a map over it. */
function keysSource(keyAtLoop: string, request: BatchRequest): string {
  const { collection, itemNames } = request;
  if (keyAtLoop.startsWith('each element')) return collection ?? '/* the keys of all items */';
  if (!collection) return `/* ${keyAtLoop} of every item */`;
  if (itemNames.includes(keyAtLoop)) return collection;
  const item = itemNames.find((name) => keyAtLoop.startsWith(`${name}.`) || keyAtLoop.startsWith(`${name}[`));
  return item ? `${collection}.map((${item}) => ${keyAtLoop})` : `${collection}.map((item) => /* ${keyAtLoop} */)`;
}

function keysVariable(keyAtLoop: string, column: string): string {
  const base = camel(lastIdentifier(keyAtLoop.startsWith('each element') ? column : keyAtLoop));
  return base.endsWith('s') ? `${base}List` : `${base}s`;
}

function lastIdentifier(text: string): string {
  return /([A-Za-z_$][\w$]*)\W*$/.exec(text)?.[1] ?? 'key';
}

function capitalise(name: string): string {
  const camelName = camel(name);
  return camelName.charAt(0).toUpperCase() + camelName.slice(1);
}

function propertyName(column: string): string {
  return column.split('.').pop()?.replace(/"/g, '') ?? column;
}

function camel(name: string): string {
  const parts = name.split(/_+/).filter(Boolean);
  return parts.map((part, i) => (i === 0 ? part.charAt(0).toLowerCase() + part.slice(1) : part.charAt(0).toUpperCase() + part.slice(1))).join('') || 'key';
}

/** `prisma.user` for `prisma.user.findUnique`. */
function receiverOf(callee: string): string {
  const dot = callee.lastIndexOf('.');
  return dot > 0 ? callee.slice(0, dot) : callee;
}

/** `this.db` for `this.db('orders').where().first`, `db` for `db.selectFrom()…`. */
function rootOf(callee: string): string {
  const match = /^[\w$.]+?(?=\(|\.(?:selectFrom|insertInto|updateTable|deleteFrom|select|insert|update|delete)\b|$)/.exec(callee);
  return match?.[0] ?? callee;
}

function quote(sql: string): string {
  if (sql.includes('\n') || sql.includes("'")) return `\`${sql.replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
  return `'${sql}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
