import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isDiagnosticData } from './diagnostics';
import type { DocumentIdentity } from './document-identity';
import { suppressionEdit } from './suppress-comment';
import { documentEdit, fixToWorkspaceEdit, type EditSupport, type EditTarget } from './workspace-edit';

export interface CodeActionContext {
  document: TextDocument;
  identity: DocumentIdentity;
  support: EditSupport;
  versionOf: EditTarget['versionOf'];
  exists: EditTarget['exists'];
}

/**
 * Quick fixes for pglens diagnostics in the request: each finding's fixes, then one "Suppress <code> on
 * this line" per code and line. Everything an action needs travels in the diagnostic's `data`, pinned to
 * the version it was computed on, so a stale diagnostic can never edit the wrong text.
 */
export function codeActions(params: CodeActionParams, context: CodeActionContext): CodeAction[] {
  if (Array.isArray(params.context?.only) && !params.context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const { document, identity } = context;
  const kind = identity.kind;
  if (!kind) return [];

  const fixes: CodeAction[] = [];
  const suppressions = new Map<string, CodeAction>();
  // The client sends back diagnostics we published; anything else in the list is not ours to read.
  const diagnostics: unknown[] = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
  for (const diagnostic of diagnostics.filter((d): d is Diagnostic => typeof d === 'object' && d !== null)) {
    if (diagnostic.source !== 'pglens' || typeof diagnostic.code !== 'string' || !isDiagnosticData(diagnostic.data)) continue;
    const data = diagnostic.data;
    // Actions only for the version the finding was computed on. A versioned edit alone does not protect
    // a stale range: VS Code's language client drops the version when it converts the edit, and the
    // fix would land on moved text. The fresh diagnostics of the new version bring their own actions.
    if (data.version !== document.version) continue;
    const target: EditTarget = { document: identity, version: data.version, versionOf: context.versionOf, exists: context.exists };

    for (const fix of data.fixes ?? []) {
      const edit = fixToWorkspaceEdit(fix, target, context.support);
      if (!edit) continue;
      fixes.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred === true, edit });
    }

    const key = `${diagnostic.code}:${data.suppressLine}`;
    const existing = suppressions.get(key);
    if (existing) {
      existing.diagnostics?.push(diagnostic);
      continue;
    }
    suppressions.set(key, suppressAction(diagnostic, diagnostic.code, data.suppressLine, data.version, context));
  }
  return [...fixes, ...suppressions.values()];
}

function suppressAction(diagnostic: Diagnostic, code: string, line: number, version: number, context: CodeActionContext): CodeAction {
  const kind = context.identity.kind ?? 'sql';
  const edit = suppressionEdit(context.document, line, code, kind);
  return {
    title: `Suppress ${code} on this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: documentEdit(context.identity.uri, version, [edit], context.support),
  };
}
