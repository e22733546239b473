import { CodeIndex } from '../code/code-index';
import type { PglensSettings } from '../config';
import { documentKind } from '../extract/index';
import type { CheckTarget } from './check-files';
import { readSource } from './check-files';
import { forEachConcurrently } from './concurrency';

/**
 * The workspace-wide index `query-in-loop` needs: every TypeScript/JavaScript file is summarised before
 * any file is reported, so a loop in orders.ts that calls a query function in users.ts is found
 * whatever order the files are checked in. Only per-file summaries are kept, never the texts.
 * Unreadable files are left out here; the check itself reports them.
 */
export async function indexScripts(targets: readonly CheckTarget[], settings: PglensSettings, concurrency: number): Promise<CodeIndex> {
  const index = new CodeIndex({ queryInLoop: settings.queryInLoop, rules: settings.rules, maxFileBytes: settings.maxFileBytes });
  if (settings.rules['query-in-loop'] === 'off') return index;
  const scripts = targets.filter((target) => documentKind(target.file) === 'script');
  await forEachConcurrently(scripts, concurrency, async ({ file }) => {
    const text = await readSource(file, settings.maxFileBytes).catch(() => undefined);
    if (text !== undefined) index.update(file, text);
  });
  return index;
}
