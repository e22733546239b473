import { missingLimit } from './missing-limit';
import type { SqlRule } from './rule';
import { selectStar } from './select-star';
import { sqlSyntax } from './sql-syntax';

/**
 * Every statement rule pglens runs, in reporting order. `sql-syntax` is listed apart: it runs on a
 * parse failure instead of a statement.
 */
export const STATEMENT_RULES: readonly SqlRule[] = [selectStar, missingLimit];

export { sqlSyntax };
