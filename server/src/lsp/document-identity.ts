import { fileURLToPath, pathToFileURL } from 'node:url';
import { documentKind, type DocumentKind } from '../extract/index';

/**
 * How a document is known to the client (its URI) and to the engine (a file name whose extension picks
 * the extractor). A document whose name does not say what it holds (an untitled buffer, a `.pgsql`
 * file) gets the extension of its language id, so SQL typed into a new editor is analysed too.
 */
export interface DocumentIdentity {
  uri: string;
  file: string;
  kind: DocumentKind | undefined;
}

const LANGUAGE_EXTENSIONS: Record<string, string> = {
  sql: '.sql',
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

export function identifyDocument(uri: string, languageId?: string): DocumentIdentity {
  let file = pathOfUri(uri);
  const extension = languageId ? LANGUAGE_EXTENSIONS[languageId] : undefined;
  if (!documentKind(file) && extension) file += extension;
  return { uri, file, kind: documentKind(file) };
}

/** The file system path of a `file:` URI; for other schemes, the URI's path (enough for its extension). */
export function pathOfUri(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A malformed file URI: fall through to the generic parse.
    }
  }
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** The URI for a file an engine result names: the document's own URI for its file, a file: URI otherwise. */
export function uriOfFile(file: string, document?: DocumentIdentity): string {
  if (document && file === document.file) return document.uri;
  return pathToFileURL(file).href;
}
