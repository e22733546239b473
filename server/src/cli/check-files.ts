import { promises as fs } from 'node:fs';
import { analyzeDocument, type DocumentAnalysis } from '../analyze';
import type { PglensSettings } from '../config';
import { documentKind } from '../extract/index';
import type { Finding } from '../finding';
import type { Catalog } from '../schema/catalog';
import { LineIndex } from '../text/line-index';
import { forEachConcurrently } from './concurrency';
import { excerptAt, type SourceExcerpt } from './format/source-excerpt';

export interface CheckTarget {
  /** The path as it will be printed: the command-line path joined with the path inside it. */
  file: string;
  catalog: Catalog;
}

export interface CheckOptions {
  settings: PglensSettings;
  /** Files read and analysed at once. */
  concurrency: number;
  /** Keep the source line of each finding, for output that shows it. */
  withExcerpts: boolean;
  /** A file was not analysed (too large, binary, unreadable); `reason` is a full sentence. */
  onSkipped(file: string, reason: string): void;
  /** A slower second stage on each analysed file (plans from a database): its findings join the file's. */
  refine?(file: string, text: string, analysis: DocumentAnalysis): Promise<Finding[]>;
}

export interface CheckResult {
  findings: Finding[];
  excerpts: Map<Finding, SourceExcerpt>;
  checked: number;
  skipped: number;
}

/**
 * Reads and analyses files with bounded concurrency. Only findings outlive a file's analysis, so memory
 * stays bounded however large the workspace. No file can stop the run: problems become skip notices.
 */
export async function checkFiles(targets: readonly CheckTarget[], options: CheckOptions): Promise<CheckResult> {
  const result: CheckResult = { findings: [], excerpts: new Map(), checked: 0, skipped: 0 };
  const skip = (file: string, reason: string) => {
    result.skipped++;
    options.onSkipped(file, reason);
  };
  await forEachConcurrently(targets, options.concurrency, async ({ file, catalog }) => {
    if (!documentKind(file)) {
      skip(file, 'Skipped: pglens reads only .sql and TypeScript/JavaScript files.');
      return;
    }
    const text = await readSource(file, options.settings.maxFileBytes).catch((error: unknown) => {
      skip(file, unreadableReason(error));
      return undefined;
    });
    if (text === undefined) return;
    let analysis: DocumentAnalysis;
    try {
      analysis = analyzeDocument(file, text, { catalog, settings: options.settings });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      skip(file, `Skipped: pglens failed while analysing it (${message}); please report this with the file's SQL.`);
      return;
    }
    if (analysis.skipped) {
      skip(file, analysis.skipped);
      return;
    }
    result.checked++;
    const findings = options.refine ? [...analysis.findings, ...(await options.refine(file, text, analysis))] : analysis.findings;
    if (findings.length === 0) return;
    const lines = options.withExcerpts ? new LineIndex(text) : undefined;
    for (const finding of findings) {
      result.findings.push(finding);
      if (lines) result.excerpts.set(finding, excerptAt(lines, finding.range));
    }
  });
  return result;
}

class SourceTooLargeError extends Error {
  constructor(readonly size: number, readonly limit: number) {
    super(`${size} bytes`);
  }
}

/** Checks the size on disk before reading, so a huge file is never loaded into memory. */
export async function readSource(file: string, maxBytes: number): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new SourceTooLargeError(size, maxBytes);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function unreadableReason(error: unknown): string {
  if (error instanceof SourceTooLargeError) {
    return `Skipped: the file is ${error.size} bytes, more than maxFileBytes (${error.limit}); raise maxFileBytes in .pglens.json to check it.`;
  }
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'it no longer exists' : error instanceof Error ? error.message : String(error);
  return `Skipped: the file cannot be read (${why}).`;
}
