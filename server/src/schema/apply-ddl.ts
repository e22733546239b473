import type { AlterTableCmd, ColumnDef, Constraint, CreateStmt, IndexStmt, Node, RangeVar, RenameStmt } from 'libpg-query';
import { listItems, nodeAs, stringOf, stringsOf } from '../sql/ast';
import { queryShape } from '../sql/columns';
import { CteScope } from '../sql/scope';
import type { ColumnInfo } from './catalog';
import { indexElementTexts } from './index-text';
import type { IndexModel, NamedKey, SchemaModel, TableModel } from './schema-model';
import { formatTypeName, isSerial } from './type-name';

/**
 * Applies one parsed DDL statement to the schema model: CREATE TABLE / VIEW / TABLE AS, CREATE INDEX,
 * ALTER TABLE (columns, keys, types, NOT NULL), renames, SET SCHEMA, DROP, `SET search_path`. Anything
 * else is ignored, and so is any operation on an object the model does not have.
 */
export interface DdlStatement {
  stmt: Node;
  /** The text the statement was parsed from and its span in it (UTF-16), for index expressions. */
  sql: string;
  start: number;
  end: number;
}

export function applyDdl(model: SchemaModel, statement: DdlStatement): void {
  const { stmt } = statement;
  const create = nodeAs(stmt, 'CreateStmt');
  if (create) return createTable(model, create);
  const index = nodeAs(stmt, 'IndexStmt');
  if (index) return createIndex(model, index, statement);
  const alter = nodeAs(stmt, 'AlterTableStmt');
  if (alter) {
    const table = alter.objtype === 'OBJECT_TABLE' ? findTable(model, alter.relation) : undefined;
    if (table) for (const cmd of alter.cmds ?? []) alterTable(model, table, nodeAs(cmd, 'AlterTableCmd'));
    return;
  }
  const rename = nodeAs(stmt, 'RenameStmt');
  if (rename) return renameObject(model, rename);
  const setSchema = nodeAs(stmt, 'AlterObjectSchemaStmt');
  if (setSchema) {
    const table = RELATION_KINDS.has(setSchema.objectType ?? '') ? findTable(model, setSchema.relation) : undefined;
    if (table && setSchema.newschema) model.move(table, table.name, setSchema.newschema);
    return;
  }
  const drop = nodeAs(stmt, 'DropStmt');
  if (drop) return dropObjects(model, drop.removeType ?? '', drop.objects ?? []);
  const view = nodeAs(stmt, 'ViewStmt');
  if (view?.view && view.query) return createDerived(model, view.view, view.query, stringsOf(view.aliases));
  const createAs = nodeAs(stmt, 'CreateTableAsStmt');
  if (createAs?.into?.rel && createAs.query) {
    return createDerived(model, createAs.into.rel, createAs.query, stringsOf(createAs.into.colNames));
  }
  const set = nodeAs(stmt, 'VariableSetStmt');
  if (set?.name === 'search_path') {
    const schemas = (set.args ?? []).map((arg) => nodeAs(arg, 'A_Const')?.sval?.sval ?? stringOf(arg));
    if (set.kind === 'VAR_SET_VALUE') model.searchPath = schemas.filter((s): s is string => !!s).flatMap(splitPath);
    else if (set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET') model.searchPath = ['public'];
  }
}

const RELATION_KINDS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

/** `SET search_path = 'a, b'` arrives as one string. */
function splitPath(value: string): string[] {
  return value.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
}

function findTable(model: SchemaModel, relation: RangeVar | undefined): TableModel | undefined {
  return relation?.relname ? model.find(relation.relname, relation.schemaname) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// CREATE TABLE

function createTable(model: SchemaModel, create: CreateStmt): void {
  const relation = create.relation;
  if (!relation?.relname) return;
  const schema = model.creationSchema(relation.schemaname);
  if (create.if_not_exists && model.find(relation.relname, schema)) return;
  const table: TableModel = { schema, name: relation.relname, columns: [], uniques: [], indexes: [] };
  // INHERITS (…) and PARTITION OF: the parent's columns come first.
  for (const parentNode of create.inhRelations ?? []) {
    const parent = findTable(model, nodeAs(parentNode, 'RangeVar'));
    if (parent) for (const column of parent.columns) addColumn(table, { ...column });
  }
  // Table constraints may precede the columns they name: apply them once every column exists.
  const constraints: Constraint[] = [];
  for (const element of [...(create.tableElts ?? []), ...(create.constraints ?? [])]) {
    const columnDef = nodeAs(element, 'ColumnDef');
    if (columnDef) addColumnDef(model, table, columnDef);
    const constraint = nodeAs(element, 'Constraint');
    if (constraint) constraints.push(constraint);
    const like = nodeAs(element, 'TableLikeClause');
    const source = findTable(model, like?.relation);
    if (source) for (const column of source.columns) addColumn(table, { ...column });
  }
  for (const constraint of constraints) addConstraint(model, table, constraint);
  model.put(table);
}

function addColumn(table: TableModel, column: ColumnInfo): void {
  const existing = table.columns.findIndex((c) => c.name === column.name);
  if (existing >= 0) table.columns[existing] = { ...table.columns[existing], notNull: table.columns[existing].notNull || column.notNull };
  else table.columns.push(column);
}

function addColumnDef(model: SchemaModel, table: TableModel, def: ColumnDef): void {
  if (!def.colname) return;
  const constraints = (def.constraints ?? []).map((c) => nodeAs(c, 'Constraint')).filter((c): c is Constraint => !!c);
  const notNull =
    def.is_not_null === true ||
    isSerial(def.typeName) ||
    constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY');
  const existing = table.columns.find((c) => c.name === def.colname);
  if (existing && !def.typeName) existing.notNull ||= notNull; // a partition's column options
  else if (!existing) table.columns.push({ name: def.colname, type: formatTypeName(def.typeName), notNull });
  for (const constraint of constraints) {
    if (constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE') {
      addConstraint(model, table, { ...constraint, keys: [{ String: { sval: def.colname } }] });
    }
  }
}

/** PRIMARY KEY and UNIQUE constraints; other kinds (CHECK, FOREIGN KEY, EXCLUDE) do not make keys. */
function addConstraint(model: SchemaModel, table: TableModel, constraint: Constraint): void {
  const primary = constraint.contype === 'CONSTR_PRIMARY';
  if (!primary && constraint.contype !== 'CONSTR_UNIQUE') return;
  let columns = stringsOf(constraint.keys);
  if (constraint.indexname) {
    // ADD CONSTRAINT … USING INDEX: the index becomes the constraint's.
    const found = model.findIndex(constraint.indexname, table.schema);
    if (!found || found.table !== table) return;
    columns = found.index.columns;
    table.indexes = table.indexes.filter((index) => index !== found.index);
  }
  if (columns.length === 0) return;
  const suffix = primary ? 'pkey' : `${columns.join('_')}_key`;
  const name = constraint.conname ?? model.freeIndexName(table.schema, `${table.name}_${suffix}`);
  const key: NamedKey = { name, columns };
  if (primary) {
    table.primaryKey = key;
    for (const column of table.columns) if (columns.includes(column.name)) column.notNull = true;
  } else table.uniques.push(key);
}

// ---------------------------------------------------------------------------------------------------
// CREATE INDEX

function createIndex(model: SchemaModel, stmt: IndexStmt, statement: DdlStatement): void {
  const table = findTable(model, stmt.relation);
  if (!table) return;
  if (stmt.if_not_exists && stmt.idxname && model.findIndex(stmt.idxname, table.schema)) return;
  const texts = indexElementTexts(statement);
  const columns: string[] = [];
  const expressionKeys: boolean[] = [];
  (stmt.indexParams ?? []).forEach((param, i) => {
    const element = nodeAs(param, 'IndexElem');
    const expression = element?.name === undefined;
    columns.push(element?.name ?? texts.elements[i] ?? 'expr');
    expressionKeys.push(expression);
  });
  if (columns.length === 0) return;
  const include = (stmt.indexIncludingParams ?? []).map((p) => nodeAs(p, 'IndexElem')?.name).filter((n): n is string => !!n);
  const nameParts = (stmt.indexParams ?? []).map((param) => nodeAs(param, 'IndexElem')?.name ?? expressionName(param));
  const name = stmt.idxname ?? model.freeIndexName(table.schema, `${table.name}_${nameParts.join('_')}_idx`);
  const index: IndexModel = { name, columns, unique: stmt.unique === true, expressionKeys };
  if (include.length > 0) index.include = include;
  if (stmt.whereClause) index.predicate = texts.predicate ?? 'true';
  table.indexes = table.indexes.filter((existing) => existing.name !== name);
  table.indexes.push(index);
}

/** PostgreSQL names an expression key after its function (`lower`), else `expr`. */
function expressionName(param: Node): string {
  const call = nodeAs(nodeAs(param, 'IndexElem')?.expr, 'FuncCall');
  return stringsOf(call?.funcname).pop() ?? 'expr';
}

// ---------------------------------------------------------------------------------------------------
// ALTER TABLE, RENAME, DROP

function alterTable(model: SchemaModel, table: TableModel, cmd: AlterTableCmd | undefined): void {
  if (!cmd) return;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = nodeAs(cmd.def, 'ColumnDef');
      if (def?.colname && !table.columns.some((c) => c.name === def.colname)) addColumnDef(model, table, def);
      return;
    }
    case 'AT_DropColumn':
      if (cmd.name) dropColumn(table, cmd.name);
      return;
    case 'AT_AddConstraint': {
      const constraint = nodeAs(cmd.def, 'Constraint');
      if (constraint) addConstraint(model, table, constraint);
      return;
    }
    case 'AT_DropConstraint':
      if (table.primaryKey?.name === cmd.name) table.primaryKey = undefined;
      table.uniques = table.uniques.filter((u) => u.name !== cmd.name);
      return;
    case 'AT_AlterColumnType': {
      const column = table.columns.find((c) => c.name === cmd.name);
      const def = nodeAs(cmd.def, 'ColumnDef');
      if (column && def?.typeName) column.type = formatTypeName(def.typeName);
      return;
    }
    case 'AT_SetNotNull':
    case 'AT_DropNotNull':
    case 'AT_AddIdentity': {
      const column = table.columns.find((c) => c.name === cmd.name);
      if (column) column.notNull = cmd.subtype !== 'AT_DropNotNull';
      return;
    }
    default:
      return;
  }
}

/** Dropping a column drops the keys and indexes built on it, as PostgreSQL does. */
function dropColumn(table: TableModel, name: string): void {
  table.columns = table.columns.filter((c) => c.name !== name);
  if (table.primaryKey?.columns.includes(name)) table.primaryKey = undefined;
  table.uniques = table.uniques.filter((u) => !u.columns.includes(name));
  table.indexes = table.indexes.filter((index) => !index.columns.some((c, i) => !index.expressionKeys[i] && c === name));
  for (const index of table.indexes) if (index.include) index.include = index.include.filter((c) => c !== name);
}

function renameObject(model: SchemaModel, rename: RenameStmt): void {
  const newName = rename.newname;
  if (!newName) return;
  switch (rename.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const table = findTable(model, rename.relation);
      if (table) model.move(table, newName, table.schema);
      return;
    }
    case 'OBJECT_COLUMN': {
      const table = findTable(model, rename.relation);
      const old = rename.subname;
      if (!table || !old) return;
      const rename1 = (name: string) => (name === old ? newName : name);
      for (const column of table.columns) column.name = rename1(column.name);
      for (const key of [...table.uniques, ...(table.primaryKey ? [table.primaryKey] : [])]) key.columns = key.columns.map(rename1);
      for (const index of table.indexes) {
        index.columns = index.columns.map((c, i) => (index.expressionKeys[i] ? c : rename1(c)));
        if (index.include) index.include = index.include.map(rename1);
      }
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = findTable(model, rename.relation);
      if (!table) return;
      for (const key of [...table.uniques, ...(table.primaryKey ? [table.primaryKey] : [])]) {
        if (key.name === rename.subname) key.name = newName;
      }
      return;
    }
    case 'OBJECT_INDEX': {
      const name = rename.relation?.relname;
      const found = name ? model.findIndex(name, rename.relation?.schemaname) : undefined;
      if (found) found.index.name = newName;
      else if (name) renameConstraintIndex(model, name, newName, rename.relation?.schemaname);
      return;
    }
    default:
      return;
  }
}

/** `ALTER INDEX users_pkey RENAME TO …` renames the constraint behind it. */
function renameConstraintIndex(model: SchemaModel, name: string, newName: string, schema?: string): void {
  for (const table of model.allTables()) {
    if (schema !== undefined && table.schema !== schema) continue;
    for (const key of [...table.uniques, ...(table.primaryKey ? [table.primaryKey] : [])]) {
      if (key.name === name) key.name = newName;
    }
  }
}

function dropObjects(model: SchemaModel, removeType: string, objects: Node[]): void {
  for (const object of objects) {
    const parts = stringsOf(listItems(object));
    const name = parts[parts.length - 1];
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (!name) continue;
    if (RELATION_KINDS.has(removeType)) {
      const table = model.find(name, schema);
      if (table) model.remove(table);
    } else if (removeType === 'OBJECT_INDEX') {
      const found = model.findIndex(name, schema);
      if (found) found.table.indexes = found.table.indexes.filter((index) => index !== found.index);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// CREATE VIEW / CREATE TABLE AS / CREATE MATERIALIZED VIEW

/** A relation defined by a query: its columns are the query's output columns, typed where they are plain. */
function createDerived(model: SchemaModel, relation: RangeVar, query: Node, names: string[]): void {
  if (!relation.relname) return;
  const shape = queryShape(query, CteScope.EMPTY, model.asCatalog());
  if (!shape.columns) return;
  const columns: ColumnInfo[] = shape.columns.map((column, i) => ({
    name: names[i] ?? column.name,
    type: 'unknown',
    notNull: false,
  }));
  const schema = model.creationSchema(relation.schemaname);
  model.put({ schema, name: relation.relname, columns, uniques: [], indexes: [] });
}
