import type { CancellationToken } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import type { DocumentAnalysis } from '../server/src/analyze';
import type { Logger } from '../server/src/lsp/log';
import { AnalysisScheduler } from '../server/src/lsp/scheduler';

/**
 * The scheduler with an analysis that takes real time (as a database round trip will), to show that a
 * superseded run is cancelled and never published, whatever order the runs finish in.
 */
const uri = 'file:///w/q.sql';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(durationOf: (text: string) => number) {
  const open = new Map<string, TextDocument>();
  const published: { version: number; text: string }[] = [];
  const cancelled: string[] = [];
  const errors: string[] = [];
  const log: Logger = { error: (message) => errors.push(message), info: () => undefined };
  const scheduler = new AnalysisScheduler({
    documents: { get: (u) => open.get(u), keys: () => [...open.keys()] },
    debounceMs: () => 20,
    log,
    analyze: async (document: TextDocument, token: CancellationToken): Promise<DocumentAnalysis> => {
      const text = document.getText();
      if (text === 'throw') throw new Error('rule crashed');
      await sleep(durationOf(text));
      if (token.isCancellationRequested) cancelled.push(text);
      return { file: 'q.sql', findings: [], statements: [], ruleErrors: [] };
    },
    publish: (document, result) => published.push({ version: result.version, text: document.getText() }),
  });
  const edit = (text: string, version: number) => {
    const document = open.get(uri);
    open.set(uri, document ? TextDocument.update(document, [{ text }], version) : TextDocument.create(uri, 'sql', version, text));
  };
  return { scheduler, open, published, cancelled, errors, edit };
}

describe('analysis scheduler', () => {
  it('cancels a slow run when a newer version arrives, and publishes only the newer one', async () => {
    const { scheduler, published, cancelled, edit } = setup((text) => (text === 'slow' ? 300 : 10));
    edit('slow', 1);
    scheduler.schedule(uri, 'now');
    await sleep(50); // the slow run is under way
    edit('fast', 2);
    scheduler.schedule(uri, 'debounced');
    await expect.poll(() => cancelled).toEqual(['slow']); // the slow run finished, flagged as cancelled
    expect(published).toEqual([{ version: 2, text: 'fast' }]);
  });

  it('collapses a burst of edits into one run after the debounce', async () => {
    const { scheduler, published, edit } = setup(() => 5);
    edit('v1', 1);
    scheduler.schedule(uri, 'now');
    await expect.poll(() => published.length).toBe(1);
    for (let version = 2; version <= 6; version++) {
      edit(`v${version}`, version);
      scheduler.schedule(uri, 'debounced');
    }
    await expect.poll(() => published.length).toBe(2);
    await sleep(100);
    expect(published.map((p) => p.version)).toEqual([1, 6]);
  });

  it('gives hover the current version at once, without waiting for the debounce', async () => {
    const { scheduler, published, edit } = setup(() => 5);
    edit('v1', 1);
    scheduler.schedule(uri, 'now');
    edit('v2', 2);
    scheduler.schedule(uri, 'debounced');
    const result = await scheduler.analysisFor(uri);
    expect(result?.version).toBe(2);
    expect(result?.document.getText()).toBe('v2');
    await sleep(100);
    expect(published.map((p) => p.version)).toEqual([2]); // v1 was superseded, v2 ran once
  });

  it('re-analyses an unchanged document on request, and forgets a closed one', async () => {
    const { scheduler, open, published, edit } = setup(() => 5);
    edit('v1', 1);
    await scheduler.reanalyze();
    await scheduler.reanalyze([uri]);
    expect(published.map((p) => p.version)).toEqual([1, 1]);
    edit('v2', 2);
    scheduler.schedule(uri, 'debounced');
    open.delete(uri);
    scheduler.forget(uri);
    await sleep(100);
    expect(published.map((p) => p.version)).toEqual([1, 1]);
    expect(scheduler.latest(uri)).toBeUndefined();
  });

  it('logs a failing analysis and keeps scheduling', async () => {
    const { scheduler, published, errors, edit } = setup(() => 5);
    edit('throw', 1);
    scheduler.schedule(uri, 'now');
    await expect.poll(() => errors).toEqual([`pglens: analysing ${uri} failed`]);
    edit('fine', 2);
    scheduler.schedule(uri, 'now');
    await expect.poll(() => published.length).toBe(1);
    expect(published).toEqual([{ version: 2, text: 'fine' }]);
  });
});
