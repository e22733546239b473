import * as ts from 'typescript';

const KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** How the compiler should read a file, by its extension (JSX is allowed only where the extension allows it). */
export function scriptKindFor(fileName: string): ts.ScriptKind {
  const dot = fileName.lastIndexOf('.');
  return (dot >= 0 && KINDS[fileName.slice(dot).toLowerCase()]) || ts.ScriptKind.TS;
}
