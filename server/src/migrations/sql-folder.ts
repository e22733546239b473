import { join } from 'node:path';
import { dropIndexDdl, indexName, suggestedDdl } from '../advisor/index-definition';
import type { DetectedTool } from './detect';
import { freePath, listNames, migrationName, sqlComment, type MigrationPlan, type MigrationRequest } from './migration';
import { nextPrefix, numericPrefixes, prefixScheme } from './sequence';

/**
 * Migrations that are plain SQL files in a folder: a numbered or timestamped folder of its own
 * (`004_create_orders.sql`), dbmate (`-- migrate:up` sections), golang-migrate (`.up.sql` / `.down.sql`
 * pairs), Flyway (`V5__name.sql`) and Supabase (`supabase/migrations/<timestamp>_name.sql`).
 *
 * The index is built CONCURRENTLY, which cannot run inside a transaction block: the file holds that one
 * statement, so runners that send a file as one batch do not wrap it in an implicit transaction, and
 * dbmate is told `transaction:false`.
 */
export async function sqlFolderMigration(detected: DetectedTool, request: MigrationRequest): Promise<MigrationPlan> {
  const { index } = request;
  const now = request.now ?? new Date();
  const names = (await listNames(detected.folder)).filter((name) => name.endsWith('.sql'));
  const name = indexName(index);
  const create = `${suggestedDdl(index)};\n`;
  const drop = `${dropIndexDdl(index)};\n`;
  const header = sqlComment(request.comment);
  const outside = '-- CONCURRENTLY builds the index without blocking writes; it cannot run inside a transaction block,\n-- so this migration holds this one statement only.\n';

  if (detected.tool === 'flyway') {
    const versions = names.map((n) => /^V(\d+)/.exec(n)?.[1]).filter((v): v is string => v !== undefined);
    const next = versions.reduce((max, v) => Math.max(max, Number(v)), 0) + 1;
    const file = await freePath((suffix) => join(detected.folder, `V${next}__${migrationName(name)}${suffix}.sql`));
    const notes = ['Flyway runs CREATE INDEX CONCURRENTLY outside a transaction on its own; keep it alone in its file.'];
    return { tool: 'flyway', folder: detected.folder, files: [{ file, content: header + outside + create }], notes };
  }

  const scheme = prefixScheme(numericPrefixes(names), detected.tool === 'sql' && names.length > 0 ? 'sequence' : 'datetime');
  const prefix = nextPrefix(scheme, now);
  const separator = detectSeparator(names);
  const base = `${prefix}${separator}${migrationName(name, separator === '-' ? '-' : '_')}`;

  switch (detected.tool) {
    case 'golang-migrate': {
      const up = await freePath((suffix) => join(detected.folder, `${base}${suffix}.up.sql`));
      const down = up.replace(/\.up\.sql$/, '.down.sql');
      return {
        tool: 'golang-migrate',
        folder: detected.folder,
        files: [
          { file: up, content: header + outside + create },
          { file: down, content: drop },
        ],
        notes: [],
      };
    }
    case 'dbmate': {
      const file = await freePath((suffix) => join(detected.folder, `${base}${suffix}.sql`));
      const content = `${header}-- migrate:up transaction:false\n${create}\n-- migrate:down transaction:false\n${drop}`;
      return { tool: 'dbmate', folder: detected.folder, files: [{ file, content }], notes: [] };
    }
    case 'supabase': {
      const file = await freePath((suffix) => join(detected.folder, `${base}${suffix}.sql`));
      const notes = [
        'The Supabase CLI runs CREATE INDEX CONCURRENTLY outside the migration transaction only when it is alone in its file; older CLI versions refuse it — use plain CREATE INDEX there.',
      ];
      return { tool: 'supabase', folder: detected.folder, files: [{ file, content: header + outside + create }], notes };
    }
    default: {
      const file = await freePath((suffix) => join(detected.folder, `${base}${suffix}.sql`));
      return { tool: 'sql', folder: detected.folder, files: [{ file, content: header + outside + create }], notes: [] };
    }
  }
}

/** The character between the prefix and the name in existing files: `_` unless most use `-`. */
function detectSeparator(names: readonly string[]): '_' | '-' {
  const dashes = names.filter((name) => /^\d+-/.test(name)).length;
  const underscores = names.filter((name) => /^\d+_/.test(name)).length;
  return dashes > underscores ? '-' : '_';
}
