import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeDocument, type AnalyzedStatement } from '../analyze';
import type { PglensSettings } from '../config';
import { statementFacts } from '../db/statement-facts';
import { documentKind } from '../extract/index';
import { EMPTY_CATALOG } from '../schema/catalog';
import { LineIndex } from '../text/line-index';
import { CONFIG_FILE_NAME } from './config-file';

/** What `pglens explain` plans: SQL given with `--sql`, or the statement at FILE[:LINE]. */
export type ExplainTarget =
  | { kind: 'sql'; sql: string }
  | { kind: 'file'; file: string; text: string; lines: LineIndex; statement: AnalyzedStatement };

/** A FILE[:LINE] that names no statement pglens can explain; the message says what to give instead. */
export class TargetError extends Error {}

/** `queries/report.sql:12` → the file and the 1-based line; a path that exists as written wins. */
export async function splitFileLine(operand: string): Promise<{ file: string; line?: number }> {
  const match = /^(.+):(\d+)$/.exec(operand);
  if (!match || (await isFile(operand))) return { file: operand };
  return { file: match[1], line: Number(match[2]) };
}

/** The nearest folder at or above the file's that holds .pglens.json, package.json or .git. */
export async function workspaceRootOf(file: string): Promise<string> {
  let dir = dirname(resolve(file));
  for (;;) {
    for (const marker of [CONFIG_FILE_NAME, 'package.json', '.git']) {
      if (await exists(join(dir, marker))) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return dirname(resolve(file));
    dir = parent;
  }
}

/** The statement at `line` in `file` (or the file's one statement), analysed as the editor would. */
export async function statementInFile(file: string, line: number | undefined, settings: PglensSettings): Promise<ExplainTarget> {
  if (!documentKind(file)) throw new TargetError(`${file} is not a .sql or TypeScript/JavaScript file; pass the query with --sql instead.`);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TargetError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? String(error)})`);
  }
  const analysis = analyzeDocument(file, text, { catalog: EMPTY_CATALOG, settings });
  if (analysis.skipped) throw new TargetError(`${file}: ${analysis.skipped}`);
  const lines = new LineIndex(text);
  const lineOf = (statement: AnalyzedStatement) => lines.positionAt(statement.docStart).line + 1;
  const queries = analysis.statements.filter((statement) => statement.statement);
  if (queries.length === 0) throw new TargetError(`${file} holds no SQL statement pglens can read.`);
  let statement: AnalyzedStatement | undefined;
  if (line === undefined) {
    const plannable = queries.filter((s) => statementFacts(s.statement!.stmt).statement.kind !== 'refused');
    if (plannable.length === 1) statement = plannable[0];
    else {
      const where = (plannable.length ? plannable : queries).map(lineOf).join(', ');
      throw new TargetError(`${file} holds ${plannable.length || queries.length} statements (at lines ${where}); name one as ${file}:LINE.`);
    }
  } else {
    statement = queries.find((s) => lineOf(s) <= line && line <= lines.positionAt(s.docEnd).line + 1);
    if (!statement) {
      throw new TargetError(`there is no SQL statement at ${file}:${line}; statements start at lines ${queries.map(lineOf).join(', ')}.`);
    }
  }
  const facts = statementFacts(statement.statement!.stmt);
  if (facts.statement.kind === 'refused') throw new TargetError(`${file}:${lineOf(statement)}: ${facts.statement.reason}`);
  return { kind: 'file', file, text, lines, statement };
}

async function isFile(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function exists(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined)) !== undefined;
}
