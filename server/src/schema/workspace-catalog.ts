import { extractSqlFile } from '../extract/sql-file';
import { parseSql } from '../sql/parse';
import { applyDdl, type DdlStatement } from './apply-ddl';
import type { Catalog } from './catalog';
import { isDownMigration, upMigrationText } from './migration-order';
import { SchemaModel } from './schema-model';

/**
 * A catalog read from the workspace's DDL: CREATE TABLE / INDEX / VIEW, ALTER TABLE, renames and
 * DROPs in .sql files, applied in the order given (the caller sorts migrations, see
 * `orderMigrationFiles`). Down migrations and down sections are skipped. A statement that does not
 * parse, or that the model cannot follow, is skipped; the rest of the file still counts. Needs the
 * parser loaded (`loadParser()`).
 */
export function buildWorkspaceCatalog(files: Iterable<{ file: string; text: string }>): Catalog {
  const model = new SchemaModel();
  for (const { file, text } of files) {
    if (isDownMigration(file) || text.slice(0, 8192).includes('\u0000')) continue;
    model.searchPath = ['public']; // each migration runs in a fresh session
    for (const statement of ddlStatements(upMigrationText(text))) {
      try {
        applyDdl(model, statement);
      } catch {
        // An unexpected AST shape must not cost the rest of the schema.
      }
    }
  }
  return model.toCatalog();
}

/** The statements of a file; when the file has a syntax error, every statement that parses alone. */
function* ddlStatements(text: string): Generator<DdlStatement> {
  if (!/\b(create|alter|drop|set)\b/i.test(text)) return;
  const whole = parseSql(text);
  if (whole.ok) {
    for (const { stmt, start, end } of whole.statements) yield { stmt, sql: text, start, end };
    return;
  }
  for (const region of extractSqlFile(text)) {
    const parsed = parseSql(region.sql);
    if (!parsed.ok) continue;
    for (const { stmt, start, end } of parsed.statements) yield { stmt, sql: region.sql, start, end };
  }
}
