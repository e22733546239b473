import type { Severity } from './finding';

/** Everything pglens reads from settings (`pglens.*` in VS Code, `.pglens.json`, CLI flags). */
export interface PglensSettings {
  /** Per-rule override: a severity, or `off`. Unlisted rules keep their default severity. */
  rules: Record<string, Severity | 'off'>;
  missingLimit: {
    /** The LIMIT the quick fix appends. */
    limit: number;
  };
  /** Files larger than this are skipped with a notice instead of analysed. */
  maxFileBytes: number;
  /** Milliseconds of quiet after an edit before the server re-analyses a document. */
  debounceMs: number;
}

export const DEFAULT_SETTINGS: PglensSettings = {
  rules: {},
  missingLimit: { limit: 100 },
  maxFileBytes: 4 * 1024 * 1024,
  debounceMs: 250,
};

export interface SettingsProblem {
  setting: string;
  message: string;
}

/**
 * Merges user-supplied settings (any shape: JSON from a client or a file) over the defaults. Invalid
 * values are ignored with a problem that says what was wrong, so a typo never disables analysis.
 */
export function resolveSettings(input: unknown): { settings: PglensSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const settings: PglensSettings = structuredClone(DEFAULT_SETTINGS);
  if (input === undefined || input === null) return { settings, problems };
  if (typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ setting: 'pglens', message: 'pglens settings must be an object' });
    return { settings, problems };
  }
  const raw = input as Record<string, unknown>;

  if (raw.rules !== undefined) {
    if (typeof raw.rules !== 'object' || raw.rules === null || Array.isArray(raw.rules)) {
      problems.push({ setting: 'pglens.rules', message: 'must be an object mapping rule codes to a severity or "off"' });
    } else {
      for (const [code, value] of Object.entries(raw.rules as Record<string, unknown>)) {
        if (value === 'off' || value === 'error' || value === 'warning' || value === 'information' || value === 'hint') {
          settings.rules[code] = value;
        } else {
          problems.push({
            setting: `pglens.rules.${code}`,
            message: `must be one of "error", "warning", "information", "hint", "off" (got ${JSON.stringify(value)})`,
          });
        }
      }
    }
  }

  const missingLimit = raw.missingLimit as Record<string, unknown> | undefined;
  if (missingLimit !== undefined) {
    const limit = typeof missingLimit === 'object' && missingLimit !== null ? missingLimit.limit : undefined;
    if (limit !== undefined) {
      if (Number.isInteger(limit) && (limit as number) > 0) settings.missingLimit.limit = limit as number;
      else problems.push({ setting: 'pglens.missingLimit.limit', message: `must be a positive whole number (got ${JSON.stringify(limit)})` });
    }
  }

  readPositiveInteger(raw, 'maxFileBytes', (v) => (settings.maxFileBytes = v), problems);
  readPositiveInteger(raw, 'debounceMs', (v) => (settings.debounceMs = v), problems, true);
  return { settings, problems };
}

function readPositiveInteger(
  raw: Record<string, unknown>,
  key: 'maxFileBytes' | 'debounceMs',
  assign: (value: number) => void,
  problems: SettingsProblem[],
  allowZero = false,
): void {
  const value = raw[key];
  if (value === undefined) return;
  if (Number.isInteger(value) && ((value as number) > 0 || (allowZero && value === 0))) assign(value as number);
  else problems.push({ setting: `pglens.${key}`, message: `must be a ${allowZero ? 'non-negative' : 'positive'} whole number (got ${JSON.stringify(value)})` });
}
