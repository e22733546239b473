import type { SqlRegion } from '../region';
import type { InterpolationSite } from './sql-assembler';

export type { InterpolationSite };

/** SQL found in TypeScript/JavaScript, with what the code around it says. */
export interface ScriptSqlRegion extends SqlRegion {
  /** Every placeholder that stands for host code, in order. */
  interpolationSites: InterpolationSite[];
  /** The call or tagged template that runs the SQL (for `sql-const`, the first query call using the const). */
  callSpan?: { start: number; end: number };
}
