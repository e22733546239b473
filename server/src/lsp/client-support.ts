import type { ClientCapabilities, InitializeParams } from 'vscode-languageserver/node';
import { pathOfUri } from './document-identity';
import type { EditSupport } from './workspace-edit';

/** The client features the server adapts to. */
export interface ClientSupport {
  /** `workspace/configuration`: settings can be pulled. */
  configuration: boolean;
  /** didChangeConfiguration can be registered dynamically (needed for it to be sent at all in the pull model). */
  configurationRegistration: boolean;
  /** A file watcher can be registered dynamically. */
  watchedFilesRegistration: boolean;
  edit: EditSupport;
}

export function readClientSupport(capabilities: ClientCapabilities): ClientSupport {
  const workspace = capabilities.workspace;
  return {
    configuration: workspace?.configuration === true,
    configurationRegistration: workspace?.didChangeConfiguration?.dynamicRegistration === true,
    watchedFilesRegistration: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    edit: {
      documentChanges: workspace?.workspaceEdit?.documentChanges === true,
      createFiles: workspace?.workspaceEdit?.resourceOperations?.includes('create') === true,
    },
  };
}

/** The workspace folders on disk: `workspaceFolders`, else the older `rootUri` / `rootPath`. */
export function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.length
    ? params.workspaceFolders.map((folder) => folder.uri)
    : params.rootUri
      ? [params.rootUri]
      : [];
  const roots = uris.filter((uri) => uri.startsWith('file:')).map(pathOfUri);
  if (roots.length === 0 && params.rootPath) roots.push(params.rootPath);
  return [...new Set(roots)];
}
