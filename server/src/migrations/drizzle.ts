import { basename, join } from 'node:path';
import { indexDdl, indexName } from '../advisor/index-definition';
import type { DetectedTool } from './detect';
import { freePath, listNames, migrationName, readText, sqlComment, type MigrationPlan, type MigrationRequest } from './migration';

/**
 * drizzle-kit: `drizzle/NNNN_name.sql`, numbered after the entries of `meta/_journal.json`. drizzle's
 * migrator applies only what the journal lists, and runs pending migrations in one transaction — so
 * the file holds a plain CREATE INDEX IF NOT EXISTS, and a note gives the journal entry to add (the
 * journal is drizzle-kit's to write; pglens does not edit it).
 */
interface Journal {
  entries?: { idx?: number; version?: string; tag?: string; breakpoints?: boolean }[];
}

export async function drizzleMigration(detected: DetectedTool, request: MigrationRequest): Promise<MigrationPlan> {
  const { index } = request;
  const name = indexName(index);
  const journalFile = join(detected.folder, 'meta', '_journal.json');
  const journal = parseJournal(await readText(journalFile));
  const entries = journal?.entries ?? [];
  const fileNumbers = (await listNames(detected.folder)).map((entry) => /^(\d{4})_.*\.sql$/.exec(entry)?.[1]).filter((n): n is string => n !== undefined);
  const next = Math.max(-1, ...entries.map((e) => e.idx ?? -1), ...fileNumbers.map(Number)) + 1;
  const tagBase = `${String(next).padStart(4, '0')}_${migrationName(name)}`;
  const file = await freePath((suffix) => join(detected.folder, `${tagBase}${suffix}.sql`));
  const tag = basename(file, '.sql');
  const content =
    sqlComment(request.comment) +
    '-- drizzle runs pending migrations in one transaction, where CREATE INDEX CONCURRENTLY cannot run: this plain\n' +
    '-- CREATE INDEX blocks writes to the table while it builds. On a large, busy table run the concurrent form by hand first,\n' +
    `-- ${indexDdl(index, { concurrently: true, ifNotExists: true })};\n` +
    `${indexDdl(index, { ifNotExists: true })};\n`;
  const version = entries.at(-1)?.version ?? '7';
  const entry = JSON.stringify({ idx: next, version, when: (request.now ?? new Date()).getTime(), tag, breakpoints: true });
  return {
    tool: 'drizzle',
    folder: detected.folder,
    files: [{ file, content }],
    notes: [
      `drizzle applies only migrations listed in meta/_journal.json: add ${entry} to its "entries" (or create the file with \`drizzle-kit generate --custom --name ${migrationName(name)}\` and paste the SQL into it).`,
      'CREATE INDEX CONCURRENTLY cannot run in drizzle’s migration transaction, so the migration uses plain CREATE INDEX.',
    ],
  };
}

function parseJournal(text: string | undefined): Journal | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Journal;
  } catch {
    return undefined;
  }
}
