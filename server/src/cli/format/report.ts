import type { Finding } from '../../finding';
import type { SourceExcerpt } from './source-excerpt';

/** What every output format receives: the findings of one run, sorted, and what was read. */
export interface CheckReport {
  findings: readonly Finding[];
  /** The source line of each finding, when the format shows it. */
  excerpts: ReadonlyMap<Finding, SourceExcerpt>;
  checked: number;
  skipped: number;
}

export type OutputFormat = 'text' | 'json' | 'sarif';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
