import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { SandboxProblem } from './apply-migrations';

/**
 * The data scale a workspace declares for its sandbox in `.pglens.json`:
 * `{ "rows": { "orders": 1000000, "public.users": 50000 } }`. Table names are as in SQL (unquoted names
 * fold to lower case; a schema prefix is optional).
 */
export type RowTargets = Record<string, number>;

export const CONFIG_FILE = '.pglens.json';

/** More than this per table would take minutes and gigabytes in WASM; a typo is likelier than intent. */
export const MAX_ROWS_PER_TABLE = 20_000_000;

export async function readRowTargets(root: string): Promise<{ rows: RowTargets; problems: SandboxProblem[] }> {
  const text = await fs.readFile(join(root, CONFIG_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return { rows: {}, problems: [] };
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { rows: {}, problems: [configProblem(`${CONFIG_FILE} is not valid JSON (${reason}); fix it to get synthetic data.`)] };
  }
  if (typeof config !== 'object' || config === null || !('rows' in config)) return { rows: {}, problems: [] };
  return validateRowTargets((config as { rows: unknown }).rows);
}

export function validateRowTargets(input: unknown): { rows: RowTargets; problems: SandboxProblem[] } {
  const rows: RowTargets = {};
  const problems: SandboxProblem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    problems.push(configProblem(`"rows" in ${CONFIG_FILE} must map table names to row counts, e.g. {"orders": 100000}.`));
    return { rows, problems };
  }
  for (const [table, count] of Object.entries(input as Record<string, unknown>)) {
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0 && count <= MAX_ROWS_PER_TABLE) {
      rows[table] = count;
    } else {
      problems.push(configProblem(`"rows.${table}" in ${CONFIG_FILE} must be a whole number from 0 to ${MAX_ROWS_PER_TABLE.toLocaleString('en-US')} (got ${JSON.stringify(count)}); the table gets no synthetic rows.`));
    }
  }
  return { rows, problems };
}

function configProblem(message: string): SandboxProblem {
  return { phase: 'config', file: CONFIG_FILE, message };
}
