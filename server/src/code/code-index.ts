import type { Finding, Severity } from '../finding';
import { applySuppressions } from '../suppress';
import { importKey, isScriptFile, moduleKeysOf, ModuleTable } from './module-table';
import { queryInLoop, queryInLoopFinding } from './query-in-loop';
import { Resolver } from './resolver';
import { DEFAULT_QUERY_IN_LOOP_SETTINGS, type QueryInLoopSettings } from './settings';
import { summarizeFile } from './summarize';
import { emptySummary, type FileSummary } from './summary';

/** Line starts of a file that was not read: one line. */
const NO_LINES = Uint32Array.of(0);

/**
 * The workspace index of TypeScript/JavaScript code: one small summary per file (no syntax trees),
 * the import graph between them, and `query-in-loop` findings computed on demand. Editing a file
 * re-reads only that file; findings are recomputed only for it and the files that import it,
 * directly or through others.
 */
export interface CodeIndexOptions {
  queryInLoop?: QueryInLoopSettings;
  /** Per-rule severity overrides, as in `pglens.rules`; `off` disables the rule. */
  rules?: Record<string, Severity | 'off'>;
  /** Files larger than this are not analysed. */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

export class CodeIndex {
  private readonly summaries = new Map<string, FileSummary>();
  private readonly modules = new ModuleTable();
  /** Module key → files importing it. */
  private readonly importers = new Map<string, Set<string>>();
  /** File → module keys it imports. */
  private readonly importedKeys = new Map<string, string[]>();
  private readonly findings = new Map<string, Finding[]>();
  private readonly resolver: Resolver;
  private options: CodeIndexOptions;

  constructor(options: CodeIndexOptions = {}) {
    this.options = options;
    this.resolver = new Resolver(
      {
        summary: (file) => this.summaries.get(file),
        resolve: (from, specifier) => this.modules.resolve(from, specifier),
      },
      new Set((options.queryInLoop ?? DEFAULT_QUERY_IN_LOOP_SETTINGS).extraMethods),
    );
  }

  /** New settings: every file's findings may change. */
  configure(options: CodeIndexOptions): void {
    this.options = options;
    this.resolver.setExtraMethods(new Set((options.queryInLoop ?? DEFAULT_QUERY_IN_LOOP_SETTINGS).extraMethods));
    this.findings.clear();
  }

  /**
   * Adds or replaces a file. Returns the files whose findings may have changed: the file itself and
   * its dependents. Files pglens does not read (not TS/JS, declaration files) are ignored.
   */
  update(file: string, text: string): string[] {
    if (!isScriptFile(file)) return [];
    this.setImports(file, []);
    const summary = this.summarize(file, text);
    this.summaries.set(file, summary);
    this.modules.add(file);
    this.setImports(
      file,
      summary.imports.map((specifier) => importKey(file, specifier)),
    );
    const affected = [file, ...this.dependentsOf(file)];
    this.invalidate(affected);
    return affected;
  }

  /** Removes a file; returns the files whose findings may have changed. */
  remove(file: string): string[] {
    if (!this.summaries.has(file)) return [];
    const affected = [file, ...this.dependentsOf(file)];
    this.summaries.delete(file);
    this.modules.remove(file);
    this.setImports(file, []);
    this.invalidate(affected);
    return affected.slice(1);
  }

  has(file: string): boolean {
    return this.summaries.has(file);
  }

  get size(): number {
    return this.summaries.size;
  }

  /** Why a file was not analysed (too large, binary, unreadable), if it was not. */
  skipped(file: string): string | undefined {
    return this.summaries.get(file)?.skipped;
  }

  /** `query-in-loop` findings of a file in the index (empty for files not in it). */
  findingsFor(file: string): Finding[] {
    const cached = this.findings.get(file);
    if (cached) return cached;
    const summary = this.summaries.get(file);
    const severity = this.severity();
    if (!summary || !severity) return [];
    const found: Finding[] = [];
    const seen = new Set<number>();
    for (const site of summary.loopSites) {
      if (site.exempt || seen.has(site.start)) continue;
      let reach;
      try {
        reach = this.resolver.reachOfSite(file, site);
      } catch {
        continue; // an unexpected shape of code costs one finding, never the file's others
      }
      // A loop that stops on the result of a call reaching a limited query is paging through a helper.
      if (!reach || (site.stopsOnResult && reach.shape.limited)) continue;
      seen.add(site.start);
      found.push(queryInLoopFinding(file, summary.lineStarts, site, reach, severity));
    }
    const kept = applySuppressions(found, summary.suppressions, () => undefined);
    this.findings.set(file, kept);
    return kept;
  }

  /** Files whose findings may change when `file` changes: everything that imports it, transitively. */
  dependentsOf(file: string): string[] {
    const result: string[] = [];
    const seen = new Set([file]);
    const queue = [file];
    while (queue.length) {
      const current = queue.shift() as string;
      for (const key of moduleKeysOf(current)) {
        for (const importer of this.importers.get(key) ?? []) {
          if (seen.has(importer)) continue;
          seen.add(importer);
          result.push(importer);
          queue.push(importer);
        }
      }
    }
    return result;
  }

  /** The stored summary of a file, for tools and tests. */
  summaryOf(file: string): FileSummary | undefined {
    return this.summaries.get(file);
  }

  private summarize(file: string, text: string): FileSummary {
    const limit = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (text.length > limit) return emptySummary(file, NO_LINES, `Skipped: the file is larger than pglens.maxFileBytes (${limit} bytes).`);
    if (text.slice(0, 8192).includes('\u0000')) return emptySummary(file, NO_LINES, 'Skipped: the file looks binary.');
    try {
      return summarizeFile(file, text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return emptySummary(file, NO_LINES, `Skipped: pglens could not read this file's code (${reason}); please report it with the file.`);
    }
  }

  private severity(): Severity | undefined {
    const configured = this.options.rules?.[queryInLoop.code];
    if (configured === 'off') return undefined;
    return configured ?? queryInLoop.severity;
  }

  private setImports(file: string, keys: string[]): void {
    for (const key of this.importedKeys.get(file) ?? []) {
      const importers = this.importers.get(key);
      importers?.delete(file);
      if (importers?.size === 0) this.importers.delete(key);
    }
    if (keys.length === 0) {
      this.importedKeys.delete(file);
      return;
    }
    this.importedKeys.set(file, keys);
    for (const key of keys) {
      let importers = this.importers.get(key);
      if (!importers) this.importers.set(key, (importers = new Set()));
      importers.add(file);
    }
  }

  private invalidate(files: string[]): void {
    this.resolver.invalidate(files);
    for (const file of files) this.findings.delete(file);
  }
}

