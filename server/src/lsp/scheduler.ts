import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalysis } from '../analyze';
import type { Logger } from './log';

/** One analysis of one version of a document. */
export interface AnalysisResult {
  uri: string;
  version: number;
  /** The text that was analysed (an immutable snapshot: offsets in `analysis` refer to it). */
  document: TextDocument;
  analysis: DocumentAnalysis;
}

export interface SchedulerOptions {
  documents: { get(uri: string): TextDocument | undefined; keys(): string[] };
  /** Analyses a document; may be async (a database round trip) and should stop early when cancelled. */
  analyze(document: TextDocument, token: CancellationToken): Promise<DocumentAnalysis>;
  /**
   * A slower second stage (plans from the database), started once the first result is published.
   * Resolves with the fuller analysis, or undefined when it has nothing to add; its result is
   * published in turn while it is still current. A newer run cancels it.
   */
  refine?(document: TextDocument, analysis: DocumentAnalysis, token: CancellationToken): Promise<DocumentAnalysis | undefined>;
  /** Called once per completed analysis (and once more per refinement) that is still current; never for a superseded version. */
  publish(document: TextDocument, result: AnalysisResult): void;
  debounceMs(): number;
  log: Logger;
}

interface DocumentState {
  timer?: NodeJS.Timeout;
  /** The version a run was last requested for, so a change event repeating an open is not run twice. */
  requested?: number;
  running?: { version: number; source: CancellationTokenSource; promise: Promise<AnalysisResult | undefined> };
  /** The refinement of `result` in progress; it shares the run's cancellation. */
  refining?: { source: CancellationTokenSource; promise: Promise<void> };
  result?: AnalysisResult;
  /** The first stage's result that `result` refines (the same object when nothing refined it yet). */
  base?: AnalysisResult;
}

/**
 * Decides when documents are analysed: at once on open, after `debounceMs` of quiet on change. A newer
 * request cancels the run in progress, and a result is published only if its version is still the
 * document's version, so an old result never overwrites a newer one. The latest result per document is
 * kept for hover and code actions.
 */
export class AnalysisScheduler {
  private readonly states = new Map<string, DocumentState>();

  constructor(private readonly options: SchedulerOptions) {}

  /** Requests an analysis of the document's current version: `now` (open) or after the debounce (change). */
  schedule(uri: string, when: 'now' | 'debounced'): void {
    const document = this.options.documents.get(uri);
    if (!document) return;
    const state = this.state(uri);
    if (state.requested === document.version) return;
    state.requested = document.version;
    clearTimeout(state.timer);
    state.timer = undefined;
    if (state.running && state.running.version !== document.version) state.running.source.cancel();
    const delay = when === 'now' ? 0 : this.options.debounceMs();
    if (delay === 0) void this.run(uri, false);
    else state.timer = setTimeout(() => void this.run(uri, false), delay);
  }

  /**
   * Re-analyses open documents although their text did not change (settings, schema or another file
   * changed): the given ones, or every open document when none are given. Resolves when all are done.
   */
  async reanalyze(uris?: Iterable<string>): Promise<void> {
    const runs: Promise<unknown>[] = [];
    for (const uri of uris ?? this.options.documents.keys()) {
      if (this.options.documents.get(uri)) runs.push(this.run(uri, true));
    }
    await Promise.all(runs);
  }

  /** The analysis of the document's current version, running it now if it is pending or missing. */
  async analysisFor(uri: string): Promise<AnalysisResult | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const document = this.options.documents.get(uri);
      if (!document) return undefined;
      const state = this.states.get(uri);
      if (state?.result?.version === document.version) return state.result;
      const pending = state?.running?.version === document.version ? state.running.promise : this.run(uri, false);
      const result = await pending;
      if (result && result.version === this.options.documents.get(uri)?.version) return result;
      // Superseded while waiting (a newer edit or a re-analysis): try again with what is current now.
    }
    return undefined;
  }

  /** The latest published result, whatever its version. */
  latest(uri: string): AnalysisResult | undefined {
    return this.states.get(uri)?.result;
  }

  /** The document was closed: cancel its work and drop its results. */
  forget(uri: string): void {
    const state = this.states.get(uri);
    if (!state) return;
    clearTimeout(state.timer);
    state.running?.source.cancel();
    state.refining?.source.cancel();
    this.states.delete(uri);
  }

  /**
   * Runs the second stage again on every current first-stage result, without analysing the text again
   * (a database came up: the plans changed, the static findings did not).
   */
  refineAgain(): void {
    const refine = this.options.refine;
    if (!refine) return;
    for (const [uri, state] of this.states) {
      const base = state.base;
      if (!base || state.running || base.version !== this.options.documents.get(uri)?.version) continue;
      state.refining?.source.cancel();
      const source = new CancellationTokenSource();
      state.refining = { source, promise: this.refineResult(uri, state, base, source, refine) };
    }
  }

  /** Resolves when the document's refinement in progress (if any) is done; for tests and benchmarks. */
  async settled(uri: string): Promise<void> {
    await this.states.get(uri)?.refining?.promise;
  }

  dispose(): void {
    for (const uri of [...this.states.keys()]) this.forget(uri);
  }

  private state(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (!state) this.states.set(uri, (state = {}));
    return state;
  }

  private run(uri: string, force: boolean): Promise<AnalysisResult | undefined> {
    const document = this.options.documents.get(uri);
    if (!document) return Promise.resolve(undefined);
    const state = this.state(uri);
    clearTimeout(state.timer);
    state.timer = undefined;
    state.requested = document.version;
    if (!force && state.running?.version === document.version) return state.running.promise;
    state.running?.source.cancel();
    state.refining?.source.cancel();

    const source = new CancellationTokenSource();
    const version = document.version;
    const promise = this.execute(uri, source.token).finally(() => {
      if (state.running?.source === source) state.running = undefined;
      // A refinement still running holds the source; it disposes it when done.
      if (state.refining?.source !== source) source.dispose();
    });
    state.running = { version, source, promise };
    return promise;
  }

  private async execute(uri: string, token: CancellationToken): Promise<AnalysisResult | undefined> {
    // Yield first, so a burst of requests in one tick collapses into the last one.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const live = this.options.documents.get(uri);
    if (token.isCancellationRequested || !live) return undefined;
    // The open document is updated in place on every edit; analyse a snapshot so text and version agree.
    const document = TextDocument.create(live.uri, live.languageId, live.version, live.getText());
    let analysis: DocumentAnalysis;
    try {
      analysis = await this.options.analyze(document, token);
    } catch (error) {
      this.options.log.error(`pglens: analysing ${uri} failed`, error);
      return undefined;
    }
    const current = this.options.documents.get(uri);
    if (token.isCancellationRequested || !current || current.version !== document.version) return undefined;
    const result: AnalysisResult = { uri, version: document.version, document, analysis };
    const state = this.states.get(uri);
    if (!state) return undefined; // closed meanwhile
    state.result = state.base = result;
    this.publish(document, result);
    const refine = this.options.refine;
    if (refine && !token.isCancellationRequested) {
      const source = state.running?.source;
      if (source) state.refining = { source, promise: this.refineResult(uri, state, result, source, refine) };
    }
    return result;
  }

  private async refineResult(
    uri: string,
    state: DocumentState,
    result: AnalysisResult,
    source: CancellationTokenSource,
    refine: NonNullable<SchedulerOptions['refine']>,
  ): Promise<void> {
    const token = source.token;
    try {
      // Let the caller that awaited the first result (a hover) run before the slower stage starts.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested) return;
      const refined = await refine(result.document, result.analysis, token);
      const current = this.options.documents.get(uri);
      if (!refined || token.isCancellationRequested || current?.version !== result.version) return;
      if (this.states.get(uri) !== state || state.base !== result) return; // closed, or a newer result
      const next: AnalysisResult = { ...result, analysis: refined };
      state.result = next;
      this.publish(result.document, next);
    } catch (error) {
      this.options.log.error(`pglens: the plan stage for ${uri} failed`, error);
    } finally {
      if (state.refining?.source === source) state.refining = undefined;
      if (state.running?.source !== source) source.dispose();
    }
  }

  private publish(document: TextDocument, result: AnalysisResult): void {
    try {
      this.options.publish(document, result);
    } catch (error) {
      this.options.log.error(`pglens: publishing diagnostics for ${result.uri} failed`, error);
    }
  }
}
