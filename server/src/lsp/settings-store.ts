import { resolveSettings, DEFAULT_SETTINGS, type PglensSettings, type SettingsProblem } from '../config';
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
    this.report(problems);
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

function describeProblem(problem: SettingsProblem): string {
  return `Invalid setting ${problem.setting}: ${problem.message}; pglens uses the default until you correct it.`;
}
