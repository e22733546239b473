import { extname, join } from 'node:path';
import { dropIndexDdl, indexName, suggestedDdl } from '../advisor/index-definition';
import type { DetectedTool } from './detect';
import { freePath, jsComment, listNames, migrationName, type MigrationPlan, type MigrationRequest } from './migration';
import { nextPrefix, numericPrefixes, prefixScheme } from './sequence';

/**
 * Migrations written as JavaScript/TypeScript modules: node-pg-migrate and knex. Both run each
 * migration in a transaction unless told otherwise, and CREATE INDEX CONCURRENTLY refuses to run in
 * one: node-pg-migrate is told with `pgm.noTransaction()`, knex with `config = { transaction: false }`.
 * The file's language and module style follow the migrations already there (`.ts`, ESM, CommonJS).
 */
export async function nodePgMigrateMigration(detected: DetectedTool, request: MigrationRequest): Promise<MigrationPlan> {
  const { index } = request;
  const names = await migrationFiles(detected.folder);
  // node-pg-migrate names files `<Date.now()>_name.js` by default (13 digits), or UTC `YYYYMMDDHHmmssSSS`.
  const prefix = nextPrefix(prefixScheme(numericPrefixes(names), 'epoch'), request.now ?? new Date());
  const extension = languageOf(names);
  const file = await freePath((suffix) => join(detected.folder, `${prefix}_${migrationName(indexName(index))}${suffix}${extension}`));
  const up = suggestedDdl(index);
  const down = dropIndexDdl(index);
  const header = jsComment(request.comment);
  const content =
    extension === '.ts'
      ? `${header}import type { MigrationBuilder } from 'node-pg-migrate';\n\n// CREATE INDEX CONCURRENTLY cannot run inside a transaction.\nexport async function up(pgm: MigrationBuilder): Promise<void> {\n  pgm.noTransaction();\n  pgm.sql(${literal(up)});\n}\n\nexport async function down(pgm: MigrationBuilder): Promise<void> {\n  pgm.noTransaction();\n  pgm.sql(${literal(down)});\n}\n`
      : extension === '.mjs' || (extension === '.js' && detected.esm)
        ? `${header}// CREATE INDEX CONCURRENTLY cannot run inside a transaction.\nexport const up = (pgm) => {\n  pgm.noTransaction();\n  pgm.sql(${literal(up)});\n};\n\nexport const down = (pgm) => {\n  pgm.noTransaction();\n  pgm.sql(${literal(down)});\n};\n`
        : `${header}// CREATE INDEX CONCURRENTLY cannot run inside a transaction.\nexports.up = (pgm) => {\n  pgm.noTransaction();\n  pgm.sql(${literal(up)});\n};\n\nexports.down = (pgm) => {\n  pgm.noTransaction();\n  pgm.sql(${literal(down)});\n};\n`;
  return { tool: 'node-pg-migrate', folder: detected.folder, files: [{ file, content }], notes: [] };
}

export async function knexMigration(detected: DetectedTool, request: MigrationRequest): Promise<MigrationPlan> {
  const { index } = request;
  const names = await migrationFiles(detected.folder);
  // knex names files `YYYYMMDDHHMMSS_name.js`.
  const prefix = nextPrefix(prefixScheme(numericPrefixes(names), 'datetime'), request.now ?? new Date());
  const extension = languageOf(names);
  const file = await freePath((suffix) => join(detected.folder, `${prefix}_${migrationName(indexName(index))}${suffix}${extension}`));
  const up = suggestedDdl(index);
  const down = dropIndexDdl(index);
  const header = jsComment(request.comment);
  const why = '// CREATE INDEX CONCURRENTLY cannot run inside a transaction, so knex must not open one.\n';
  const content =
    extension === '.ts'
      ? `${header}import type { Knex } from 'knex';\n\n${why}export const config = { transaction: false };\n\nexport async function up(knex: Knex): Promise<void> {\n  await knex.raw(${literal(up)});\n}\n\nexport async function down(knex: Knex): Promise<void> {\n  await knex.raw(${literal(down)});\n}\n`
      : extension === '.mjs' || (extension === '.js' && detected.esm)
        ? `${header}${why}export const config = { transaction: false };\n\nexport const up = (knex) => knex.raw(${literal(up)});\n\nexport const down = (knex) => knex.raw(${literal(down)});\n`
        : `${header}${why}exports.config = { transaction: false };\n\nexports.up = (knex) => knex.raw(${literal(up)});\n\nexports.down = (knex) => knex.raw(${literal(down)});\n`;
  return { tool: 'knex', folder: detected.folder, files: [{ file, content }], notes: [] };
}

async function migrationFiles(folder: string): Promise<string[]> {
  return (await listNames(folder)).filter((name) => /^\d+.*\.(c|m)?(j|t)s$/.test(name) && !name.endsWith('.d.ts'));
}

/** The extension most existing migrations use; `.js` for a new folder. */
function languageOf(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(extname(name), (counts.get(extname(name)) ?? 0) + 1);
  const [most] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return most ?? '.js';
}

/** A JS string literal for SQL (single-quoted, so the SQL's own quotes are escaped). */
function literal(sql: string): string {
  return `'${sql.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
