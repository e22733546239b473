import type { TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentKind } from '../extract/index';

/** A line that is nothing but a `pglens-ignore` comment naming one or more codes. */
const CODES = '[a-z][a-z0-9-]*(?:[ \\t]*,?[ \\t]*[a-z][a-z0-9-]*)*';
const LISTING_COMMENT: Record<DocumentKind, RegExp> = {
  sql: new RegExp(`^\\s*--\\s*pglens-ignore[ \\t]+${CODES}[ \\t]*$`),
  script: new RegExp(`^\\s*//\\s*pglens-ignore[ \\t]+${CODES}[ \\t]*$`),
};

/**
 * The edit that silences `code` on `line`: a `pglens-ignore` comment on the line above, indented like
 * the line it silences (see suppress.ts: a comment covers its own line and the next). When the line
 * above already is a `pglens-ignore` comment listing codes, the code is added to it instead.
 */
export function suppressionEdit(document: TextDocument, line: number, code: string, kind: DocumentKind): TextEdit {
  const previous = line > 0 ? lineText(document, line - 1) : undefined;
  if (previous !== undefined && LISTING_COMMENT[kind].test(previous)) {
    const end = previous.trimEnd().length;
    return { range: { start: { line: line - 1, character: end }, end: { line: line - 1, character: previous.length } }, newText: `, ${code}` };
  }
  const target = rawLine(document, line);
  const indent = /^[ \t]*/.exec(target)?.[0] ?? '';
  const eol = target.endsWith('\r\n') ? '\r\n' : '\n';
  const marker = kind === 'sql' ? '--' : '//';
  const start = { line, character: 0 };
  return { range: { start, end: start }, newText: `${indent}${marker} pglens-ignore ${code}${eol}` };
}

/** A line's text with its line break. */
function rawLine(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
}

/** A line's text without its line break. */
function lineText(document: TextDocument, line: number): string {
  return rawLine(document, line).replace(/\r?\n$|\r$/, '');
}
