import type { ColumnHints } from './check-hints';
import { quoteLiteral } from './executor';
import type { ColumnStructure, TypeInfo } from './structure';

/**
 * SQL expressions that produce one column's synthetic values, row by row, inside
 * `INSERT … SELECT … FROM generate_series`. Values follow the column's type and simple CHECK hints; a few
 * name conventions (email, status, *_at, price…) make them look real; and low-cardinality columns are
 * skewed (the first value most frequent) so the planner sees the uneven distributions real data has.
 */
export interface ValueContext {
  /** SQL for the row's sequence number: 1-based, never repeated within a table. */
  g: string;
  /** Rows this run generates; sizes pools of distinct values. */
  rows: number;
  /** The column belongs to a unique key: values derive from `g` so they never repeat. */
  unique: boolean;
  /** For unique numbers: the table's current maximum, so new values never collide with seed rows. */
  base: number;
  hints: ColumnHints;
  /** The table holds people (users, customers, …): a bare `name` column gets person names. */
  ofPeople: boolean;
  /** Distinguishes this column's derived values (uuids) from another column's with the same row number. */
  salt: string;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Radia', 'Edsger', 'Frances', 'Tim'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Perlman', 'Dijkstra', 'Allen', 'Berners-Lee'];
const WORDS = ['classic', 'compact', 'deluxe', 'eco', 'ultra', 'smart', 'vintage', 'wireless', 'premium', 'mini', 'pro', 'travel'];
const STATUSES = ['active', 'pending', 'inactive', 'archived', 'blocked'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'CA', 'JP', 'ES', 'NL'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD'];
const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ';

/** Share of NULLs in a nullable column: most "deleted_at"-style columns are empty, others mostly filled. */
export function nullRate(column: ColumnStructure): number {
  if (column.notNull) return 0;
  if (/^(deleted|archived|cancell?ed|removed|banned|disabled)_(at|on)$/.test(column.name)) return 0.95;
  return 0.1;
}

/** The expression, or undefined when pglens cannot invent values of the column's type. */
export function valueExpression(column: ColumnStructure, ctx: ValueContext): string | undefined {
  if (ctx.hints.values && ctx.hints.values.length > 0) {
    return ctx.unique ? cycle(ctx.hints.values.map(quoteLiteral), ctx.g) : skewedPick(ctx.hints.values.map(quoteLiteral));
  }
  return typedExpression(column.name.toLowerCase(), column.type, ctx);
}

function typedExpression(name: string, type: TypeInfo, ctx: ValueContext): string | undefined {
  if (type.kind === 'enum') {
    const labels = (type.enumLabels ?? []).map(quoteLiteral);
    if (labels.length === 0) return undefined;
    return ctx.unique ? cycle(labels, ctx.g) : skewedPick(labels);
  }
  if (type.kind === 'array') return arrayExpression(name, type, ctx);
  switch (type.name) {
    case 'int2':
    case 'int4':
    case 'int8':
      return integerExpression(name, type.name, ctx);
    case 'numeric':
    case 'float4':
    case 'float8':
      return decimalExpression(name, type, ctx);
    case 'money':
      return `(${decimalExpression(name, { name: 'numeric', kind: 'base', precision: 12, scale: 2 }, ctx)})::money`;
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
    case 'name':
      return textExpression(name, type.length, ctx);
    case 'bool':
      return ctx.unique ? `(${ctx.g} % 2 = 0)` : `(random() < ${/delet|archiv|disabl|block|banned|spam|test/.test(name) ? 0.03 : 0.7})`;
    case 'timestamp':
    case 'timestamptz':
      return ctx.unique
        ? `(timestamptz '2020-01-01 00:00:00+00' + ${ctx.g} * interval '1 second')`
        : `(now() - power(random(), 1.5) * interval '730 days')`;
    case 'date':
      return ctx.unique ? `(date '2000-01-01' + ${ctx.g}::int)` : `(current_date - floor(power(random(), 1.5) * 730)::int)`;
    case 'time':
    case 'timetz':
      return `(time '08:00' + random() * interval '12 hours')`;
    case 'interval':
      return `(random() * interval '30 days')`;
    case 'uuid':
      // Random-looking and unique (md5 of a distinct input); about 3× faster than gen_random_uuid() in PGlite.
      return `md5(${ctx.g}::text || ${quoteLiteral(ctx.salt)})::uuid`;
    case 'json':
    case 'jsonb':
      return `jsonb_build_object('source', ${skewedPick(["'web'", "'ios'", "'android'"])}, 'score', floor(random() * 100)::int)`;
    case 'bytea':
      return `decode(md5(${ctx.g}::text), 'hex')`;
    case 'inet':
    case 'cidr':
      return `('10.' || (${ctx.g} / 65536 % 256) || '.' || (${ctx.g} / 256 % 256) || '.' || (${ctx.g} % 256))`;
    case 'tsvector':
      return `to_tsvector('simple', ${skewedPick(WORDS.map(quoteLiteral))} || ' ' || ${ctx.g})`;
    case 'point':
      return 'point(random() * 100, random() * 100)';
    default:
      return undefined;
  }
}

function integerExpression(name: string, typeName: string, ctx: ValueContext): string {
  const ceiling = typeName === 'int2' ? 32767 : typeName === 'int4' ? 2147483647 : Number.MAX_SAFE_INTEGER;
  if (ctx.unique) return `(${Math.trunc(ctx.base)} + ${ctx.g})`;
  const [low, high] = numericRange(name, ctx.hints, 1, ceiling);
  return `(${low} + floor(power(random(), 2) * ${high - low + 1}))::bigint`;
}

function decimalExpression(name: string, type: TypeInfo, ctx: ValueContext): string {
  const scale = type.scale ?? (type.name === 'numeric' ? 2 : 4);
  const step = 10 ** -scale;
  const ceiling = type.precision !== undefined ? 10 ** (type.precision - scale) - step : Number.MAX_SAFE_INTEGER;
  if (ctx.unique) return `(${ctx.base} + ${ctx.g})`;
  const [low, high] = numericRange(name, ctx.hints, step, ceiling);
  const value = `(${low} + power(random(), 2) * ${high - low})`;
  return type.name === 'numeric' ? `round(${value}::numeric, ${scale})` : value;
}

/** A plausible [low, high] for a number column, inside CHECK bounds and the type's range. */
function numericRange(name: string, hints: ColumnHints, step: number, ceiling: number): [number, number] {
  let [low, high] = conventionalRange(name);
  if (hints.min) low = Math.max(low, hints.min.value + (hints.min.inclusive ? 0 : step));
  if (hints.max) high = Math.min(high, hints.max.value - (hints.max.inclusive ? 0 : step));
  if (hints.min && !hints.max && high < low) high = low + 1000;
  if (hints.max && !hints.min && low > high) low = Math.min(0, high);
  high = Math.min(high, ceiling);
  if (low > high) low = high;
  return [low, high];
}

function conventionalRange(name: string): [number, number] {
  if (/cents/.test(name)) return [100, 50000];
  if (/price|amount|total|cost|balance|subtotal|revenue|fee/.test(name)) return [1, 500];
  if (/quantity|qty/.test(name)) return [1, 10];
  if (/stock|inventory/.test(name)) return [0, 500];
  if (/rating|stars/.test(name)) return [1, 5];
  if (/age$/.test(name)) return [18, 90];
  if (/year/.test(name)) return [1990, 2025];
  if (/percent|pct/.test(name)) return [0, 100];
  return [1, 1000];
}

function textExpression(name: string, length: number | undefined, ctx: ValueContext): string {
  const fit = (expression: string) => (length !== undefined ? `left(${expression}, ${length})` : expression);
  const g = ctx.g;
  const pool = Math.max(5, Math.min(1000, Math.ceil(ctx.rows / 10)));
  const pick = ctx.unique ? g : `(1 + floor(power(random(), 2) * ${pool})::int)`;
  if (/e_?mail/.test(name)) return fit(`'user' || ${pick} || '@example.com'`);
  if (length === 2 && /country|region|lang|locale/.test(name)) return skewedPick(COUNTRIES.map(quoteLiteral));
  if (length === 3 && /currency/.test(name)) return skewedPick(CURRENCIES.map(quoteLiteral));
  if (/^(sku|code|slug|handle|username|login|reference|ref)$|_(sku|code|slug|number|ref)$/.test(name)) {
    return fit(`${quoteLiteral(name.slice(0, 3).toUpperCase() + '-')} || lpad((${pick})::text, 8, '0')`);
  }
  if (ctx.unique) return fit(`${quoteLiteral(name + '-')} || ${g}`);
  if (/(^|_)(status|state|kind|type|role|plan|tier|priority|level|category|channel|source)$/.test(name)) {
    return fit(skewedPick(STATUSES.map(quoteLiteral)));
  }
  if (/last_?name|surname/.test(name)) return fit(skewedPick(LAST_NAMES.map(quoteLiteral)));
  if (/first_?name/.test(name)) return fit(skewedPick(FIRST_NAMES.map(quoteLiteral)));
  if (/(full_?|display_?|^)name$|author|customer/.test(name) && (ctx.ofPeople || name !== 'name')) {
    return fit(`${uniformPick(FIRST_NAMES.map(quoteLiteral))} || ' ' || ${uniformPick(LAST_NAMES.map(quoteLiteral))}`);
  }
  if (/title|label|subject|headline|^name$/.test(name)) {
    return fit(`initcap(${uniformPick(WORDS.map(quoteLiteral))} || ' ' || ${uniformPick(WORDS.map(quoteLiteral))}) || ' ' || ${pick}`);
  }
  if (/description|body|content|bio|notes?$|comment|message|summary|text/.test(name)) {
    return fit(`left(repeat(${quoteLiteral(LOREM)}, 4), 20 + floor(random() * 300)::int)`);
  }
  if (/url|website|link/.test(name)) return fit(`'https://example.com/' || ${pick}`);
  if (/phone|mobile/.test(name)) return fit(`'+1555' || lpad((${pick})::text, 7, '0')`);
  if (/city/.test(name)) return fit(skewedPick(['Berlin', 'London', 'Paris', 'Madrid', 'Tokyo', 'Austin', 'Lagos', 'Lima'].map(quoteLiteral)));
  return fit(`${quoteLiteral(name + '-')} || ${pick}`);
}

function arrayExpression(name: string, type: TypeInfo, ctx: ValueContext): string | undefined {
  const element = type.element;
  if (!element) return undefined;
  const elementCtx: ValueContext = { ...ctx, unique: false, hints: {} };
  const items = [0, 1, 2].map(() => typedExpression(name.replace(/s$/, ''), element, elementCtx));
  if (items.some((item) => item === undefined)) return undefined;
  // Zero to three elements, fewer more often.
  return `(ARRAY[${items.join(', ')}])[1:floor(power(random(), 2) * 4)::int]`;
}

/** One of `values`, the first most frequent (about 70% for two values, 55% for six). */
export function skewedPick(values: string[]): string {
  if (values.length === 1) return values[0];
  return `(ARRAY[${values.join(', ')}])[1 + floor(power(random(), 3) * ${values.length})::int]`;
}

function uniformPick(values: string[]): string {
  return `(ARRAY[${values.join(', ')}])[1 + floor(random() * ${values.length})::int]`;
}

/** `values` in turn by row number: for unique columns with few allowed values (ON CONFLICT drops repeats). */
function cycle(values: string[], g: string): string {
  return `(ARRAY[${values.join(', ')}])[1 + (${g} % ${values.length})::int]`;
}
