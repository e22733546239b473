import type { SettingsProblem } from '../config';

/**
 * Settings of the `query-in-loop` rule, read from `pglens.queryInLoop`. Kept here until merged into
 * the main settings (config.ts) as `queryInLoop`.
 */
export interface QueryInLoopSettings {
  /**
   * Extra method or function names that reach the database, for helpers pglens cannot see through
   * (`fetchOne`, `runQuery`): a call of any of them counts as a query.
   */
  extraMethods: string[];
}

export const DEFAULT_QUERY_IN_LOOP_SETTINGS: QueryInLoopSettings = { extraMethods: [] };

/** Validates `pglens.queryInLoop`; bad values are dropped with a problem naming the setting. */
export function resolveQueryInLoopSettings(input: unknown): { settings: QueryInLoopSettings; problems: SettingsProblem[] } {
  const settings: QueryInLoopSettings = { extraMethods: [] };
  const problems: SettingsProblem[] = [];
  if (input === undefined || input === null) return { settings, problems };
  if (typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ setting: 'pglens.queryInLoop', message: 'must be an object such as { "extraMethods": ["runQuery"] }' });
    return { settings, problems };
  }
  const extra = (input as Record<string, unknown>).extraMethods;
  if (extra === undefined) return { settings, problems };
  if (!Array.isArray(extra)) {
    problems.push({ setting: 'pglens.queryInLoop.extraMethods', message: `must be a list of method names (got ${JSON.stringify(extra)})` });
    return { settings, problems };
  }
  for (const name of extra) {
    if (typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name)) settings.extraMethods.push(name);
    else problems.push({ setting: 'pglens.queryInLoop.extraMethods', message: `${JSON.stringify(name)} is not a method name; use a bare name such as "runQuery"` });
  }
  return { settings, problems };
}
