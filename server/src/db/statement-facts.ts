import type { InsertStmt, MergeStmt, Node, SelectStmt, UpdateStmt } from 'libpg-query';
import { isObject, nameParts, relationRef, statementType, unwrap, walkNodes, type AstObject, type RelationRef } from './ast';

/**
 * What the EXPLAIN runner must know about a statement before sending it anywhere, read from the AST
 * (never from the text): may it be planned at all, does it write, which `$n` it uses, and what in it
 * could change state that a ROLLBACK cannot undo.
 */
export type StatementClass =
  | { kind: 'read'; command: string }
  | { kind: 'write'; command: string }
  | { kind: 'refused'; command: string; reason: string };

export interface StatementFacts {
  statement: StatementClass;
  /** The highest `$n` used; 0 without parameters. */
  parameterCount: number;
  /** Explicit calls to nextval/setval: sequences do not roll back. */
  sequenceCalls: string[];
  /** The name (last part, as the parser folded it) of every function called, once each. */
  functionCalls: string[];
  /** Every relation named (FROM, JOIN, subqueries, write targets; CTE names too). */
  relations: RelationRef[];
  /** Every INSERT/UPDATE/DELETE/MERGE in the statement, data-modifying CTEs included. */
  writes: WriteFacts[];
}

export interface WriteFacts {
  command: 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE';
  target: RelationRef;
  /** INSERT only: which of the target's columns receive their default. */
  insertDefaults?: InsertDefaults;
  /** Columns explicitly set to DEFAULT (UPDATE SET c = DEFAULT, ON CONFLICT DO UPDATE). */
  setToDefault: string[];
  /** MERGE … WHEN NOT MATCHED THEN INSERT: conservatively, any column may get its default. */
  mergeInserts: boolean;
}

export type InsertDefaults =
  /** Named columns were given; every other column, plus `named` ones given DEFAULT, gets its default. */
  | { kind: 'named'; given: string[]; explicitDefault: string[]; overridingUserValue: boolean }
  /** No column list: the first `width` columns are given (undefined width: unknown, e.g. `SELECT *`). */
  | { kind: 'positional'; width?: number; explicitDefaultPositions: number[]; overridingUserValue: boolean }
  /** INSERT … DEFAULT VALUES. */
  | { kind: 'all' };

const PLANNABLE: Record<string, 'read' | 'write'> = {
  SelectStmt: 'read',
  InsertStmt: 'write',
  UpdateStmt: 'write',
  DeleteStmt: 'write',
  MergeStmt: 'write',
};

/** Parsed statements are memoised by text, so the same AST comes back for the same query: read it once. */
const memo = new WeakMap<Node, StatementFacts>();

/** The facts of a statement; the result is shared between callers, so it is never to be changed. */
export function statementFacts(stmt: Node): StatementFacts {
  const known = memo.get(stmt);
  if (known) return known;
  const facts = readFacts(stmt);
  memo.set(stmt, facts);
  return facts;
}

function readFacts(stmt: Node): StatementFacts {
  const type = statementType(stmt);
  let parameterCount = 0;
  const sequenceCalls: string[] = [];
  const functionCalls = new Set<string>();
  const relations: RelationRef[] = [];
  const writes: WriteFacts[] = [];
  let locksRows = false;
  walkNodes(stmt, (nodeType, node) => {
    if (nodeType === 'ParamRef' && typeof node.number === 'number') parameterCount = Math.max(parameterCount, node.number);
    if (nodeType === 'FuncCall') {
      const called = nameParts(node.funcname).at(-1);
      if (called) functionCalls.add(called);
      const name = called?.toLowerCase();
      if (name === 'nextval' || name === 'setval') sequenceCalls.push(name);
    }
    if (nodeType === 'RangeVar') relations.push(relationRef(node));
    if (nodeType === 'SelectStmt' && Array.isArray(node.lockingClause) && node.lockingClause.length) locksRows = true;
    const write = writeFacts(nodeType, node);
    if (write) writes.push(write);
  });
  return { statement: classify(stmt, type, writes, locksRows), parameterCount, sequenceCalls, functionCalls: [...functionCalls], relations, writes };
}

function classify(stmt: Node, type: string, writes: WriteFacts[], locksRows: boolean): StatementClass {
  const kind = PLANNABLE[type];
  if (!kind) {
    const command = commandName(type);
    return {
      kind: 'refused',
      command,
      reason: `${command} is not run or explained; pglens explains only SELECT, INSERT, UPDATE, DELETE and MERGE.`,
    };
  }
  if (type === 'SelectStmt') {
    const select = (stmt as { SelectStmt: SelectStmt }).SelectStmt;
    if (select.intoClause) {
      return { kind: 'refused', command: 'SELECT INTO', reason: 'SELECT INTO creates a table, so it is not run or explained; explain the SELECT without INTO.' };
    }
    if (writes.length) return { kind: 'write', command: `WITH … ${writes[0].command}` };
    if (locksRows) return { kind: 'write', command: 'SELECT … FOR UPDATE' };
    return { kind: 'read', command: select.valuesLists?.length ? 'VALUES' : 'SELECT' };
  }
  return { kind: 'write', command: type.replace(/Stmt$/, '').toUpperCase() };
}

/** `CreateTableAsStmt` → `CREATE TABLE AS`, for messages. */
function commandName(type: string): string {
  const words: Record<string, string> = {
    CreateStmt: 'CREATE TABLE',
    IndexStmt: 'CREATE INDEX',
    ViewStmt: 'CREATE VIEW',
    DropStmt: 'DROP',
    TransactionStmt: 'Transaction control',
    VariableSetStmt: 'SET',
    VariableShowStmt: 'SHOW',
    ExplainStmt: 'EXPLAIN (give the statement itself)',
    ExecuteStmt: 'EXECUTE',
    CopyStmt: 'COPY',
    DoStmt: 'DO',
    CallStmt: 'CALL',
  };
  return words[type] ?? type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

function writeFacts(type: string, node: AstObject): WriteFacts | undefined {
  switch (type) {
    case 'InsertStmt': {
      const insert = node as InsertStmt;
      return {
        command: 'INSERT',
        target: relationRef(insert.relation ?? {}),
        insertDefaults: insertDefaults(insert),
        setToDefault: defaultedTargets(insert.onConflictClause?.targetList),
        mergeInserts: false,
      };
    }
    case 'UpdateStmt': {
      const update = node as UpdateStmt;
      return { command: 'UPDATE', target: relationRef(update.relation ?? {}), setToDefault: defaultedTargets(update.targetList), mergeInserts: false };
    }
    case 'DeleteStmt':
      return { command: 'DELETE', target: relationRef((node.relation as AstObject) ?? {}), setToDefault: [], mergeInserts: false };
    case 'MergeStmt': {
      const merge = node as MergeStmt;
      const clauses = (merge.mergeWhenClauses ?? []).map((c) => unwrap(c)?.[1] ?? {});
      return {
        command: 'MERGE',
        target: relationRef(merge.relation ?? {}),
        setToDefault: clauses.flatMap((c) => defaultedTargets(c.targetList)),
        mergeInserts: clauses.some((c) => c.commandType === 'CMD_INSERT'),
      };
    }
    default:
      return undefined;
  }
}

function insertDefaults(insert: InsertStmt): InsertDefaults {
  const overridingUserValue = insert.override === 'OVERRIDING_USER_VALUE';
  const select = unwrap(insert.selectStmt)?.[1] as SelectStmt | undefined;
  if (!select) return { kind: 'all' };
  const rows = (select.valuesLists ?? []).map((row) => (unwrap(row)?.[1]?.items as unknown[] | undefined) ?? []);
  const defaultPositions = new Set<number>();
  for (const row of rows) row.forEach((item, i) => unwrap(item)?.[0] === 'SetToDefault' && defaultPositions.add(i));
  if (insert.cols?.length) {
    const given = insert.cols.map((col) => String(unwrap(col)?.[1]?.name ?? ''));
    return { kind: 'named', given, explicitDefault: given.filter((_, i) => defaultPositions.has(i)), overridingUserValue };
  }
  let width: number | undefined;
  if (rows.length) width = rows[0].length;
  else if (select.op && select.op !== 'SETOP_NONE') width = undefined; // UNION …: not worth counting
  else if (select.targetList && !hasStar(select.targetList)) width = select.targetList.length;
  return { kind: 'positional', width, explicitDefaultPositions: [...defaultPositions], overridingUserValue };
}

function hasStar(targetList: Node[]): boolean {
  let star = false;
  walkNodes(targetList, (type) => {
    if (type === 'A_Star') star = true;
  });
  return star;
}

/** Names of `SET col = DEFAULT` targets. */
function defaultedTargets(targetList: unknown): string[] {
  if (!Array.isArray(targetList)) return [];
  const names: string[] = [];
  for (const item of targetList) {
    const target = unwrap(item)?.[1];
    if (isObject(target) && unwrap(target.val)?.[0] === 'SetToDefault' && typeof target.name === 'string') names.push(target.name);
  }
  return names;
}
