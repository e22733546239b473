import { join } from 'node:path';
import { indexDdl, indexName, type IndexDefinition } from '../advisor/index-definition';
import { LineIndex } from '../text/line-index';
import type { DetectedTool } from './detect';
import { freePath, listNames, migrationName, readText, sqlComment, type MigrationPlan, type MigrationRequest } from './migration';
import { nextPrefix, numericPrefixes, prefixScheme } from './sequence';

/**
 * Prisma Migrate: `prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql`. Prisma runs a migration
 * inside a transaction, where CREATE INDEX CONCURRENTLY cannot run, so the file holds a plain (IF NOT
 * EXISTS) CREATE INDEX and says how to build it concurrently first on a busy table.
 *
 * When `schema.prisma` can express the index (plain columns, no WHERE, no INCLUDE), the matching
 * `@@index([…], map: "name")` is offered as a separate edit, so the schema and the database agree.
 */
export async function prismaMigration(detected: DetectedTool, request: MigrationRequest): Promise<MigrationPlan> {
  const { index } = request;
  const name = indexName(index);
  const names = (await listNames(detected.folder)).filter((entry) => /^\d+_/.test(entry));
  const prefix = nextPrefix(prefixScheme(numericPrefixes(names), 'datetime'), request.now ?? new Date());
  const folder = await freePath((suffix) => join(detected.folder, `${prefix}_${migrationName(name)}${suffix}`));
  const content =
    sqlComment(request.comment) +
    '-- Prisma runs migrations in a transaction, where CREATE INDEX CONCURRENTLY cannot run: this plain CREATE INDEX\n' +
    '-- blocks writes to the table while it builds. On a large, busy table run the concurrent form by hand first,\n' +
    `-- ${indexDdl(index, { concurrently: true, ifNotExists: true })};\n` +
    '-- and this migration then finds the index in place.\n' +
    `${indexDdl(index, { ifNotExists: true })};\n`;
  const plan: MigrationPlan = {
    tool: 'prisma',
    folder: detected.folder,
    files: [{ file: join(folder, 'migration.sql'), content }],
    notes: ['CREATE INDEX CONCURRENTLY cannot run in Prisma’s migration transaction, so the migration uses plain CREATE INDEX.'],
  };
  const schemaFile = detected.schemaFile;
  const schema = schemaFile ? await readText(schemaFile) : undefined;
  const edit = schemaFile && schema !== undefined ? prismaIndexEdit(schema, index, name) : undefined;
  if (schemaFile && edit) {
    plan.schemaEdit = {
      title: `Declare ${name} in schema.prisma (@@index)`,
      edits: [{ file: schemaFile, range: { start: edit.position, end: edit.position }, newText: edit.text }],
    };
  }
  return plan;
}

/** The `@@index` line for `index` and where it goes in `schema` (before its model's closing brace). */
export function prismaIndexEdit(schema: string, index: IndexDefinition, name: string): { position: { line: number; character: number }; text: string } | undefined {
  if (index.where || index.include.length > 0 || index.keys.some((key) => key.column === undefined || key.nulls)) return undefined;
  const model = findModel(schema, index);
  if (!model) return undefined;
  const fields = index.keys.map((key) => {
    const field = model.fields.get(key.column as string);
    return field === undefined ? undefined : key.descending ? `${field}(sort: Desc)` : field;
  });
  if (fields.some((field) => field === undefined)) return undefined;
  const lines = new LineIndex(schema);
  return {
    position: lines.positionAt(model.closeOffset),
    text: `${model.indent}@@index([${fields.join(', ')}], map: "${name}")\n`,
  };
}

interface PrismaModel {
  /** Column name → field name. */
  fields: Map<string, string>;
  /** Offset of the start of the line holding the model's closing brace. */
  closeOffset: number;
  indent: string;
}

function findModel(schema: string, index: IndexDefinition): PrismaModel | undefined {
  const modelPattern = /^model\s+(\w+)\s*\{/gm;
  for (let match = modelPattern.exec(schema); match; match = modelPattern.exec(schema)) {
    const bodyStart = match.index + match[0].length;
    const close = /^\}/m.exec(schema.slice(bodyStart));
    if (!close) return undefined;
    const body = schema.slice(bodyStart, bodyStart + close.index);
    const table = /@@map\(\s*(?:name:\s*)?"([^"]+)"\s*\)/.exec(body)?.[1] ?? match[1];
    const modelSchema = /@@schema\(\s*"([^"]+)"\s*\)/.exec(body)?.[1];
    if (table !== index.table || (modelSchema !== undefined ? modelSchema !== index.schema : index.schema !== 'public')) continue;
    const fields = new Map<string, string>();
    let indent = '  ';
    for (const line of body.split('\n')) {
      const field = /^(\s+)(\w+)\s+\w+/.exec(line);
      if (!field || line.trim().startsWith('@@') || line.trim().startsWith('//')) continue;
      indent = field[1];
      const column = /@map\(\s*(?:name:\s*)?"([^"]+)"\s*\)/.exec(line)?.[1] ?? field[2];
      fields.set(column, field[2]);
    }
    return { fields, closeOffset: bodyStart + close.index, indent };
  }
  return undefined;
}
