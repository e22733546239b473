import type { Severity } from '../../finding';
import type { PglensSettings } from '../../config';
import type { SqlRegion } from '../../extract/region';
import type { Catalog } from '../../schema/catalog';
import type { ParsedStatement } from '../parse';

/** An edit inside the region's SQL; offsets are UTF-16 offsets into `region.sql`. */
export interface SqlEdit {
  start: number;
  end: number;
  newText: string;
}

export interface SqlFix {
  title: string;
  edits: SqlEdit[];
  preferred?: boolean;
}

/** What a rule reports: a span of the region's SQL (UTF-16 offsets into `region.sql`). */
export interface SqlReport {
  start: number;
  end: number;
  message: string;
  data?: Record<string, unknown>;
  fixes?: SqlFix[];
}

export interface SqlRuleContext {
  /** The statement under check, with its span in `region.sql`. */
  statement: ParsedStatement;
  region: SqlRegion;
  /** Converts a parser `location` (UTF-8 bytes) to a UTF-16 offset into `region.sql`. */
  offsetOf(byteLocation: number): number;
  catalog: Catalog;
  settings: PglensSettings;
  report(report: SqlReport): void;
}

/**
 * A rule that checks one parsed SQL statement. One rule per file under `sql/rules/`, listed in
 * `registry.ts`, documented in `docs/rules/<code>.md`.
 *
 * Contract: what a rule reports depends only on the region's SQL text, the catalog and the settings —
 * never on the document around it — because results are memoised on those (see run-rules.ts).
 */
export interface SqlRule {
  /** Stable kebab-case id users put in settings and suppression comments. */
  code: string;
  severity: Severity;
  docs: {
    /** One sentence: what the rule finds. */
    summary: string;
  };
  check(ctx: SqlRuleContext): void;
}
