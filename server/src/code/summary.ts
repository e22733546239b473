import type { Lib, SymValue } from './values';

/** How a call's value is used: awaited/returned, collected into an array, or neither. */
export type Consumption = 'awaited' | 'collected' | undefined;

/**
 * A file's summary: everything the workspace index keeps about a TypeScript/JavaScript file once its
 * syntax tree is dropped. Plain data, small: imports, exports, function units with the calls that may
 * reach the database, and the calls that run inside loops.
 */

/** Text of an argument or parameter expression, with the identifiers it reads. */
export interface ExpressionUse {
  text: string;
  /** Identifiers read (`row` for `row.id`). */
  idents: string[];
  /** Property paths read (`row.id`), to tell one value of an item from another. */
  paths?: string[];
}

/** An equality filter seen along a query chain: `where({ id })`, `.where('id', '=', id)`, `eq(t.id, id)`. */
export interface Filter {
  /** As written: `id`, `order_id`, `users.id` (drizzle's table.column). */
  column: string;
  value: ExpressionUse;
}

/** The shape of a call's arguments, for messages and the batched rewrite. */
export interface CallShape {
  /** The callee as written, shortened: `pool.query`, `prisma.user.findUnique`, `db.selectFrom()….executeTakeFirst`. */
  callee: string;
  /** The final method, tag or function name: `query`, `findUnique`, `executeTakeFirst`, `sql`. */
  method: string;
  /** SQL text, `${…}` interpolations replaced by `$n` placeholders. */
  sql?: string;
  /** Per `$n` placeholder (index n-1): the expression bound to it. */
  params?: ExpressionUse[];
  /** The SQL is a tagged template (sql`…`): its values sit inside the text, not in a parameter array. */
  tagged?: boolean;
  filters?: Filter[];
  /** Table, model or entity, where visible: `user` for `prisma.user`, `orders` for knex('orders'). */
  target?: string;
  /** The call pages: LIMIT in its SQL, `take`, `.limit(…)`. */
  limited?: boolean;
  /** Arguments of the final call, for following a query through a function's parameters. */
  args?: ExpressionUse[];
}

export type SiteEvent =
  /** A call that reaches the database, recognised in this file. */
  | { e: 'db'; lib: Lib; shape: CallShape }
  /** A call of a function or method of this file, by unit id. */
  | { e: 'call'; id: string; shape: CallShape }
  /** A call through an imported value, resolved against the exporting file when findings are computed. */
  | { e: 'import'; value: Extract<SymValue, { t: 'import' }>; consumed: Consumption; shape: CallShape }
  /** A call whose callee is unknown; it counts when its name is listed in `queryInLoop.extraMethods`. */
  | { e: 'name'; name: string; shape: CallShape };

/** A call: what it does, and where (UTF-16 offsets of the callee in the file). */
export interface CallSite {
  event: SiteEvent;
  start: number;
  end: number;
}

export type LoopKind = 'for' | 'for-of' | 'for-await-of' | 'for-in' | 'while' | 'do-while' | 'callback';

export interface LoopInfo {
  kind: LoopKind;
  /** The iterating method for callbacks: `map`, `forEach`, `from`. */
  method?: string;
  /** The loop keyword, or the iterating method's name (UTF-16 offsets). */
  start: number;
  end: number;
  /** The collection iterated, as written (`ids`, `order.items`), when there is one. */
  collection?: string;
  /** Names bound per iteration (loop variables, callback parameters). */
  itemNames: string[];
  /** Names whose value changes per iteration: item names, and variables declared or assigned in the loop. */
  varying: string[];
}

/** Why a call inside a loop is not an N+1. */
export type Exemption = 'retry' | 'pagination' | 'static-list' | 'batched';

export interface LoopSite extends CallSite {
  unit: string;
  loop: LoopInfo;
  exempt?: Exemption;
  /** The loop stops on this call's result: exempt as paging if the query it reaches has a row limit. */
  stopsOnResult?: boolean;
}

export interface UnitSummary {
  id: string;
  /** As shown to users: `loadUser`, `OrderRepository.findById`. */
  name: string;
  /** The function's name in the file (UTF-16 offsets). */
  start: number;
  end: number;
  params: string[];
  /** Calls that may reach the database, in order. */
  sites: CallSite[];
  /** Names of unresolved calls, checked against `queryInLoop.extraMethods`. */
  names: string[];
}

export interface ClassSummary {
  methods: string[];
  statics: string[];
  fields: Record<string, SymValue>;
  /** What static members not declared here resolve through (the class extended). */
  staticBase?: SymValue;
  /** What instance members not declared here resolve through. */
  instanceBase?: SymValue;
}

export interface SuppressionLine {
  line: number;
  codes: Set<string> | 'all';
}

export interface FileSummary {
  file: string;
  /** Where each line starts, to turn offsets into LSP positions. */
  lineStarts: Uint32Array;
  /** Database libraries the file imports (also type-only imports), for guessing untyped handles. */
  libs: Lib[];
  /** Relative module specifiers the file imports or re-exports from. */
  imports: string[];
  exports: Map<string, SymValue>;
  /** `export * from '…'` specifiers. */
  starExports: string[];
  classes: Map<string, ClassSummary>;
  objects: Map<string, Map<string, SymValue>>;
  units: Map<string, UnitSummary>;
  loopSites: LoopSite[];
  suppressions: SuppressionLine[];
  /** Why the file was not analysed (too large, binary). */
  skipped?: string;
}

/** A summary with nothing in it yet: the start of the per-file pass, or all a skipped file gets. */
export function emptySummary(file: string, lineStarts: Uint32Array, skipped?: string): FileSummary {
  return {
    file,
    lineStarts,
    libs: [],
    imports: [],
    exports: new Map(),
    starExports: [],
    classes: new Map(),
    objects: new Map(),
    units: new Map(),
    loopSites: [],
    suppressions: [],
    ...(skipped === undefined ? {} : { skipped }),
  };
}

/** The tables an imported value is evaluated against: the classes and objects of its file. */
export interface EvalTables {
  classes: Map<string, ClassSummary>;
  objects: Map<string, Map<string, SymValue>>;
  libs: readonly Lib[];
}
