import { EventEmitter, Uri, type Disposable, type TextDocumentContentProvider } from 'vscode';

export const EXPLAIN_SCHEME = 'pglens-explain';

/**
 * Read-only documents holding EXPLAIN results as Markdown, one per query location; explaining the
 * same query again updates its document (and an open preview of it) in place.
 */
export class ExplainDocuments implements TextDocumentContentProvider, Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Stores `markdown` for the query at `line` of `source`; returns the document's URI. */
  put(source: Uri, line: number, analyze: boolean, markdown: string): Uri {
    const name = source.path.split('/').pop() ?? 'query';
    const uri = Uri.from({
      scheme: EXPLAIN_SCHEME,
      path: `/${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} ${name} line ${line + 1}.md`,
      query: source.toString(),
    });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
