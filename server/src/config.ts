import { resolveQueryInLoopSettings, type QueryInLoopSettings } from './code/settings';
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
  /**
   * The database plans come from (`postgresql://…`): initializationOptions and `.pglens.json`/`--db`
   * only. VS Code keeps it in SecretStorage, so no VS Code setting holds it.
   */
  databaseUrl?: string;
  seqScan: {
    /** Sequential scans of tables with fewer rows are not reported. */
    minRows: number;
  };
  explain: {
    /** `rollback`: EXPLAIN ANALYZE may run a write inside a transaction that is rolled back. */
    analyzeWrites: 'never' | 'rollback';
    /** statement_timeout for every EXPLAIN. */
    statementTimeoutMs: number;
  };
  queryInLoop: QueryInLoopSettings;
  database: {
    /** With no database configured, plan against the embedded sandbox built from the workspace's migrations. */
    embedded: boolean;
    /** Connections pglens opens to the database at most. */
    maxConnections: number;
  };
}

export const DEFAULT_SETTINGS: PglensSettings = {
  rules: {},
  missingLimit: { limit: 100 },
  maxFileBytes: 4 * 1024 * 1024,
  debounceMs: 250,
  seqScan: { minRows: 10_000 },
  explain: { analyzeWrites: 'never', statementTimeoutMs: 5_000 },
  database: { embedded: true, maxConnections: 3 },
  queryInLoop: { extraMethods: [] },
};

/** The longest a timeout can be: setTimeout's limit and PostgreSQL's for statement_timeout (ms in an int4). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

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
      if (Number.isSafeInteger(limit) && (limit as number) > 0) settings.missingLimit.limit = limit as number;
      else problems.push({ setting: 'pglens.missingLimit.limit', message: `must be a positive whole number (got ${JSON.stringify(limit)})` });
    }
  }

  readPositiveInteger(raw, 'maxFileBytes', (v) => (settings.maxFileBytes = v), problems);
  readPositiveInteger(raw, 'debounceMs', (v) => (settings.debounceMs = v), problems, true, '', MAX_TIMEOUT_MS);
  readDatabaseSettings(raw, settings, problems);
  const queryInLoop = resolveQueryInLoopSettings(raw.queryInLoop);
  settings.queryInLoop = queryInLoop.settings;
  problems.push(...queryInLoop.problems);
  return { settings, problems };
}

/** `databaseUrl`, `seqScan.*`, `explain.*`, `database.*`: what the plan stage and the connection read. */
function readDatabaseSettings(raw: Record<string, unknown>, settings: PglensSettings, problems: SettingsProblem[]): void {
  const url = raw.databaseUrl;
  if (typeof url === 'string') {
    if (url.trim()) settings.databaseUrl = url.trim();
  } else if (url !== undefined && url !== null) {
    problems.push({ setting: 'pglens.databaseUrl', message: `must be a postgresql:// URL (got a ${Array.isArray(url) ? 'list' : typeof url})` });
  }
  const seqScan = section(raw, 'seqScan', problems);
  readPositiveInteger(seqScan, 'minRows', (v) => (settings.seqScan.minRows = v), problems, true, 'seqScan.');
  const explain = section(raw, 'explain', problems);
  const writes = explain.analyzeWrites;
  if (writes === 'never' || writes === 'rollback') settings.explain.analyzeWrites = writes;
  else if (writes !== undefined) {
    problems.push({ setting: 'pglens.explain.analyzeWrites', message: `must be "never" or "rollback" (got ${JSON.stringify(writes)})` });
  }
  readPositiveInteger(explain, 'statementTimeoutMs', (v) => (settings.explain.statementTimeoutMs = v), problems, false, 'explain.', MAX_TIMEOUT_MS);
  const database = section(raw, 'database', problems);
  if (typeof database.embedded === 'boolean') settings.database.embedded = database.embedded;
  else if (database.embedded !== undefined) {
    problems.push({ setting: 'pglens.database.embedded', message: `must be true or false (got ${JSON.stringify(database.embedded)})` });
  }
  readPositiveInteger(database, 'maxConnections', (v) => (settings.database.maxConnections = v), problems, false, 'database.');
}

/** A nested settings object such as `explain`; anything else is reported and read as empty. */
function section(raw: Record<string, unknown>, key: string, problems: SettingsProblem[]): Record<string, unknown> {
  const value = raw[key];
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push({ setting: `pglens.${key}`, message: `must be an object (got ${JSON.stringify(value)})` });
  return {};
}

function readPositiveInteger(
  raw: Record<string, unknown>,
  key: string,
  assign: (value: number) => void,
  problems: SettingsProblem[],
  allowZero = false,
  prefix = '',
  max = Number.MAX_SAFE_INTEGER,
): void {
  const value = raw[key];
  if (value === undefined) return;
  if (Number.isInteger(value) && ((value as number) > 0 || (allowZero && value === 0)) && (value as number) <= max) assign(value as number);
  else if (Number.isInteger(value) && (value as number) > max) problems.push({ setting: `pglens.${prefix}${key}`, message: `must be at most ${max} (got ${JSON.stringify(value)})` });
  else problems.push({ setting: `pglens.${prefix}${key}`, message: `must be a ${allowZero ? 'non-negative' : 'positive'} whole number (got ${JSON.stringify(value)})` });
}
