/**
 * The one type that crosses every boundary: rules produce Findings, the LSP adapter turns them into
 * Diagnostics and code actions, the CLI prints them. Positions are 0-based and count UTF-16 code units,
 * exactly as in LSP.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** Lower is more severe; used to compare against thresholds such as `--fail-on`. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Replace `range` in `file` with `newText`. */
export interface TextChange {
  file: string;
  range: Range;
  newText: string;
}

/** Create a new file; a fix never overwrites an existing one. */
export interface FileCreation {
  file: string;
  content: string;
}

export interface Fix {
  title: string;
  edits: TextChange[];
  creates?: FileCreation[];
  /** The fix an editor may apply on "fix all" / auto-fix. */
  preferred?: boolean;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  /** Stable kebab-case rule id, e.g. `select-star`; users put it in settings and suppression comments. */
  code: string;
  message: string;
  data?: Record<string, unknown>;
  fixes?: Fix[];
  related?: RelatedLocation[];
}
