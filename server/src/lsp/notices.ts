import { basename } from 'node:path';
import { pathOfUri } from './document-identity';

/**
 * Messages shown to the user about documents pglens does not analyse: one per document while it is
 * open, however often it is re-analysed.
 */
export class SkippedNotices {
  private readonly shown = new Set<string>();

  constructor(private readonly show: (message: string) => void) {}

  skipped(uri: string, reason: string): void {
    if (this.shown.has(uri)) return;
    this.shown.add(uri);
    const why = reason.replace(/^Skipped:\s*/i, '');
    this.show(`pglens did not analyse ${basename(pathOfUri(uri))}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`);
  }

  /** The document was closed: a skip after it is opened again deserves a new notice. */
  forget(uri: string): void {
    this.shown.delete(uri);
  }
}
