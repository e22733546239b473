import * as ts from 'typescript';
import type { SqlRegion } from './region';
import { collectSqlRegions } from './ts/collect';
import { scriptKindFor } from './ts/script-kind';
import type { ScriptSqlRegion } from './ts/script-region';

export type { InterpolationSite, ScriptSqlRegion } from './ts/script-region';

/**
 * Files that mention none of these cannot hold SQL pglens recognises, so they skip the parse. A cheap
 * over-approximation: every tag and query method name pglens looks for matches it.
 */
const MAY_HOLD_SQL = /sql|query|executeRaw|\.\s*(execute|raw|unsafe|many|one|any|none|oneOrNone|manyOrNone|maybeOne|prepare|result|multi|multiResult)\b/i;

/** No parent pointers and no JSDoc: the walk needs neither, and both cost parse time. */
const PARSE_OPTIONS: ts.CreateSourceFileOptions = {
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
};

/** SQL inside TypeScript/JavaScript, in document order. Never throws: on failure, returns what was found. */
export function extractFromTypeScript(fileName: string, text: string): SqlRegion[] {
  return extractScriptRegions(fileName, text);
}

/** As extractFromTypeScript, with what the code says about each region (interpolations, the call). */
export function extractScriptRegions(fileName: string, text: string): ScriptSqlRegion[] {
  const regions: ScriptSqlRegion[] = [];
  try {
    if (!MAY_HOLD_SQL.test(text)) return regions;
    const sourceFile = ts.createSourceFile(fileName, text, PARSE_OPTIONS, false, scriptKindFor(fileName));
    collectSqlRegions(sourceFile, text, regions);
  } catch {
    // Extraction never fails a document; whatever was found before the failure is kept.
  }
  return regions.sort((a, b) => a.map.documentSpan.start - b.map.documentSpan.start);
}
