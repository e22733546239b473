import { promises as fs } from 'node:fs';
import { analyzeDocument } from '../analyze';
import { DEFAULT_SETTINGS, type PglensSettings } from '../config';
import type { DatabaseCatalog } from '../db/catalog';
import type { Database } from '../db/queryable';
import { LineIndex } from '../text/line-index';
import { listSourceFiles } from '../workspace/files';
import { adviseQuery } from './advise';
import { mergeSuggestions, type MergedSuggestion, type QueryRef } from './merge';
import type { AdvisorSettings } from './settings';
import type { IndexSuggestion, UnverifiedCandidate } from './suggestion';

/**
 * The advisor over a whole workspace: every statement `analyzeDocument` finds (in .sql files and in
 * TypeScript/JavaScript) that reads tables, advised one after the other on one database, and the
 * suggestions merged where one index serves several queries (see merge.ts).
 */
export interface WorkspaceAdvice {
  suggestions: MergedSuggestion[];
  unverified: (UnverifiedCandidate & { query: QueryRef })[];
  /** Statements advised on. */
  queries: number;
  /** Statements the advisor could not plan (a table the database lacks, …), with why. */
  failures: { query: QueryRef; message: string }[];
  plannerCalls: number;
}

export interface WorkspaceAdviceOptions {
  catalog: DatabaseCatalog;
  settings?: Partial<AdvisorSettings>;
  analysis?: PglensSettings;
  signal?: AbortSignal;
}

/** Statement kinds that read tables an index could serve. */
const ADVISABLE = new Set(['SelectStmt', 'UpdateStmt', 'DeleteStmt', 'InsertStmt']);

export async function adviseWorkspace(database: Database, root: string, options: WorkspaceAdviceOptions): Promise<WorkspaceAdvice> {
  const result: WorkspaceAdvice = { suggestions: [], unverified: [], queries: 0, failures: [], plannerCalls: 0 };
  const found: { suggestion: IndexSuggestion; query: QueryRef }[] = [];
  for (const file of await listSourceFiles(root)) {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const analysis = analyzeDocument(file, text, { catalog: options.catalog, settings: options.analysis ?? DEFAULT_SETTINGS });
    const lines = new LineIndex(text);
    for (const statement of analysis.statements) {
      if (!statement.statement || !ADVISABLE.has(statement.kind)) continue;
      if (options.signal?.aborted) return result;
      const sql = statement.region.sql.slice(statement.statement.start, statement.statement.end);
      const query = { file, line: lines.positionAt(statement.docStart).line };
      const advice = await adviseQuery(database, sql, { catalog: options.catalog, settings: options.settings, signal: options.signal });
      result.queries++;
      if (!advice.ok) {
        result.failures.push({ query, message: advice.message });
        continue;
      }
      result.plannerCalls += advice.plannerCalls;
      for (const suggestion of advice.suggestions) found.push({ suggestion, query });
      for (const unverified of advice.unverified) result.unverified.push({ ...unverified, query });
    }
  }
  result.suggestions = mergeSuggestions(found);
  return result;
}
