import { resolveAdvisorSettings } from '../advisor/settings';
import { resolveSettings, DEFAULT_SETTINGS, type PglensSettings, type SettingsProblem } from '../config';
import { allRules } from '../rules';
import type { Logger } from './log';

/** Where settings come from: the client's `pglens` section, pulled when it supports it. */
export interface SettingsSource {
  /** `workspace/configuration` for the `pglens` section; undefined when the client cannot answer. */
  pull?: () => Promise<unknown>;
  /** Shows a warning to the user. */
  warn(message: string): void;
  log: Logger;
}

/**
 * The settings in force. Sources, most specific first: the section the client pushes with
 * `workspace/didChangeConfiguration`, the section pulled with `workspace/configuration`, the
 * `initializationOptions`. Invalid values fall back to their defaults with one warning that names
 * the setting; the same warning is not repeated until the problems change.
 */
export class SettingsStore {
  private settings: PglensSettings = DEFAULT_SETTINGS;
  private initializationOptions: unknown;
  private warned = '';

  constructor(private readonly source: SettingsSource) {}

  get current(): PglensSettings {
    return this.settings;
  }

  /** Applies `initializationOptions`; warnings wait for `refresh` (the client is not listening yet). */
  initialize(options: unknown): void {
    this.initializationOptions = options;
    this.settings = resolveSettings(options).settings;
  }

  /** Re-reads the settings; `pushed` is the `pglens` section a didChangeConfiguration carried, if any. */
  async refresh(pushed?: unknown): Promise<PglensSettings> {
    let raw = pushed ?? (await this.pulled()) ?? this.initializationOptions;
    if (raw === null) raw = undefined;
    const { settings, problems } = resolveSettings(raw);
    this.settings = settings;
    this.report([...problems, ...unknownRuleCodes(raw), ...advisorProblems(raw)]);
    return settings;
  }

  private async pulled(): Promise<unknown> {
    if (!this.source.pull) return undefined;
    try {
      const value = await this.source.pull();
      return value ?? undefined;
    } catch (error) {
      this.source.log.error('pglens: reading the pglens settings from the client failed', error);
      return undefined;
    }
  }

  private report(problems: SettingsProblem[]): void {
    const message = problems.map(describeProblem).join(' ');
    if (message && message !== this.warned) this.source.warn(message);
    this.warned = message;
  }
}

/** Codes in `pglens.rules` that name no rule: a typo (`select_star`) would otherwise change nothing, silently. */
function unknownRuleCodes(raw: unknown): SettingsProblem[] {
  const rules = isObject(raw) ? raw.rules : undefined;
  if (!isObject(rules)) return [];
  const known = allRules().map((rule) => rule.code);
  return Object.keys(rules)
    .filter((code) => !known.includes(code))
    .map((code) => ({ setting: `pglens.rules.${code}`, message: `no pglens rule has this code (the codes are ${known.join(', ')})` }));
}

/** `pglens.advisor.*` is read where the advisor runs, which has no one to tell; its problems are told here. */
function advisorProblems(raw: unknown): SettingsProblem[] {
  return isObject(raw) ? resolveAdvisorSettings(raw.advisor).problems : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeProblem(problem: SettingsProblem): string {
  return `Invalid setting ${problem.setting}: ${problem.message}; pglens uses the default until you correct it.`;
}
