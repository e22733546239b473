import { promises as fs } from 'node:fs';
import { CodeIndex } from '../code/code-index';
import type { PglensSettings } from '../config';
import { documentKind } from '../extract/index';
import type { Finding } from '../finding';
import { listSourceFiles } from '../workspace/files';
import type { Logger } from './log';

interface Options {
  log: Logger;
  /** Re-analyse these open documents (their `query-in-loop` findings may have changed). */
  reanalyze(uris: string[]): void;
  /** The documents open in the editor, with the file each stands for. */
  openDocuments(): { uri: string; file: string }[];
}

/**
 * The language server's side of `query-in-loop`: one CodeIndex over the whole workspace (so a loop in
 * orders.ts that calls a query function in users.ts is found with only orders.ts open), fed from disk
 * at start-up and from the editor as documents change. When a file changes, the open documents that
 * depend on it are re-analysed, so their findings follow without being reopened.
 */
export class CodeIndexService {
  private index = new CodeIndex();
  /** The text last given to the index per file: an unchanged text is not summarised again. */
  private readonly texts = new Map<string, string>();
  private indexing: Promise<void> = Promise.resolve();

  constructor(private readonly options: Options) {}

  configure(settings: PglensSettings): void {
    this.index.configure({ queryInLoop: settings.queryInLoop, rules: settings.rules, maxFileBytes: settings.maxFileBytes });
  }

  /** Reads every script of the workspace in the background; documents re-analyse once it is done. */
  indexWorkspace(roots: readonly string[]): Promise<void> {
    this.indexing = (async () => {
      for (const root of roots) {
        const files = await listSourceFiles(root).catch(() => [] as string[]);
        for (const file of files) {
          if (documentKind(file) !== 'script' || this.texts.has(file)) continue;
          const text = await fs.readFile(file, 'utf8').catch(() => undefined);
          if (text !== undefined && !this.texts.has(file)) this.feed(file, text);
        }
      }
      this.options.reanalyze(this.options.openDocuments().map((document) => document.uri));
    })().catch((error: unknown) => this.options.log.error('pglens: indexing the workspace for query-in-loop failed', error));
    return this.indexing;
  }

  /**
   * The document's current text (from the analysis pass). Open documents that depend on it are
   * re-analysed when their findings may have changed.
   */
  documentChanged(file: string, uri: string, text: string): void {
    if (documentKind(file) !== 'script' || this.texts.get(file) === text) return;
    const affected = this.feed(file, text);
    this.reanalyzeOpen(affected, uri);
  }

  /** A script changed or disappeared on disk (not through an open editor). */
  async fileChangedOnDisk(file: string, deleted: boolean): Promise<void> {
    if (documentKind(file) !== 'script') return;
    if (deleted) {
      this.texts.delete(file);
      this.reanalyzeOpen(this.index.remove(file));
      return;
    }
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined && this.texts.get(file) !== text) this.reanalyzeOpen(this.feed(file, text));
  }

  findingsFor(file: string): Finding[] {
    return this.index.findingsFor(file);
  }

  private feed(file: string, text: string): string[] {
    this.texts.set(file, text);
    return this.index.update(file, text);
  }

  private reanalyzeOpen(files: readonly string[], except?: string): void {
    if (files.length === 0) return;
    const affected = new Set(files);
    const uris = this.options
      .openDocuments()
      .filter((document) => document.uri !== except && affected.has(document.file))
      .map((document) => document.uri);
    if (uris.length > 0) this.options.reanalyze(uris);
  }
}
