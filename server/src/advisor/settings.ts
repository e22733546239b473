/**
 * The index advisor's settings (`pglens.advisor.*` in VS Code, `advisor` in `.pglens.json`). Read here
 * rather than in config.ts so the advisor can be used, and its settings checked, on its own.
 */
export interface AdvisorSettings {
  /** Run `CREATE EXTENSION hypopg` when the server offers it but the database lacks it. */
  createHypopg: boolean;
  /**
   * Without hypopg, candidates are verified by building them inside a transaction that is rolled back;
   * tables larger than this (bytes) are not built on, and their candidates are reported unverified.
   */
  maxTableBytesForRealIndex: number;
  /** A candidate must cut the plan's estimated cost by at least this share (0–1) to be suggested. */
  minCostReduction: number;
  /** How long building a candidate may wait for a lock on its table (transaction mode). */
  lockTimeoutMs: number;
  /** How long one statement of the advisor may run (building an index, planning). */
  statementTimeoutMs: number;
  /** Most indexes suggested for one query (one per table at most). */
  maxIndexesPerQuery: number;
}

export const DEFAULT_ADVISOR_SETTINGS: AdvisorSettings = {
  createHypopg: false,
  maxTableBytesForRealIndex: 64 * 1024 * 1024,
  minCostReduction: 0.3,
  lockTimeoutMs: 1_000,
  statementTimeoutMs: 15_000,
  maxIndexesPerQuery: 2,
};

export interface AdvisorSettingsProblem {
  setting: string;
  message: string;
}

/**
 * Reads the `advisor` object of user settings over the defaults. A bad value is ignored with a problem
 * naming the setting, as for every other pglens setting.
 */
export function resolveAdvisorSettings(raw: unknown): { settings: AdvisorSettings; problems: AdvisorSettingsProblem[] } {
  const settings = { ...DEFAULT_ADVISOR_SETTINGS };
  const problems: AdvisorSettingsProblem[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ setting: 'pglens.advisor', message: 'must be an object' });
    return { settings, problems };
  }
  const input = raw as Record<string, unknown>;
  const read = <K extends keyof AdvisorSettings>(key: K, valid: (value: unknown) => boolean, expected: string) => {
    const value = input[key];
    if (value === undefined) return;
    if (valid(value)) settings[key] = value as AdvisorSettings[K];
    else problems.push({ setting: `pglens.advisor.${key}`, message: `must be ${expected} (got ${JSON.stringify(value)})` });
  };
  const positiveInteger = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;
  // PostgreSQL's lock_timeout and statement_timeout are milliseconds in an int4.
  const milliseconds = (value: unknown) => positiveInteger(value) && (value as number) <= 2_147_483_647;
  read('createHypopg', (value) => typeof value === 'boolean', 'true or false');
  read('maxTableBytesForRealIndex', (value) => Number.isSafeInteger(value) && (value as number) >= 0, 'a non-negative whole number of bytes');
  read('minCostReduction', (value) => typeof value === 'number' && value > 0 && value < 1, 'a number between 0 and 1, e.g. 0.3');
  read('lockTimeoutMs', milliseconds, 'a positive whole number of milliseconds, at most 2147483647');
  read('statementTimeoutMs', milliseconds, 'a positive whole number of milliseconds, at most 2147483647');
  read('maxIndexesPerQuery', positiveInteger, 'a positive whole number');
  return { settings, problems };
}
