import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { resolveSettings, type PglensSettings } from '../config';
import { LineIndex } from '../text/line-index';

/** The settings file pglens reads at a workspace root. */
export const CONFIG_FILE_NAME = '.pglens.json';

/** A settings file that cannot be used at all (unreadable, not JSON): the CLI stops with exit 2. */
export class ConfigError extends Error {}

export interface CliSettings {
  settings: PglensSettings;
  /** One line per ignored setting, naming it; printed as warnings, never fatal. */
  warnings: string[];
  /** The file the settings came from, when there was one. */
  file?: string;
}

/**
 * Reads `.pglens.json` at `workspaceRoot`, or `explicitFile` (`--config`). A missing default file means
 * the defaults; a missing explicit file is an error. Keys pglens does not know (e.g. `rows`, read by the
 * embedded database) pass silently; known keys with bad values are dropped with a warning.
 */
export async function loadCliSettings(workspaceRoot: string, explicitFile?: string): Promise<CliSettings> {
  const file = explicitFile ?? join(workspaceRoot, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicitFile === undefined) return { settings: resolveSettings(undefined).settings, warnings: [] };
    const advice = explicitFile === undefined ? 'Make it readable or pass --config with another file.' : 'Check the path given to --config.';
    throw new ConfigError(`cannot read the settings file ${file}: ${describeReadError(code, error)}. ${advice}`);
  }
  const json = parseJson(file, text.replace(/^\uFEFF/, ''));
  const { settings, problems } = resolveSettings(json);
  const warnings = problems.map((problem) =>
    problem.setting === 'pglens'
      ? `${file}: the settings must be a JSON object; using the defaults.`
      : `${file}: '${problem.setting.replace(/^pglens\./, '')}' ${problem.message}; using the default.`,
  );
  return { settings, warnings, file };
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8 quotes the text around the error (`Unexpected token 'p', ..."l://u:secret@"... is not valid
    // JSON`): it may be a password in databaseUrl, so the quote is dropped.
    const message = (error instanceof Error ? error.message : String(error)).replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    throw new ConfigError(`${file} is not valid JSON: ${withLineAndColumn(message, text)}. Fix the file or point --config at another one.`);
  }
}

/** V8 reports "at position 42"; people look for a line and column. */
function withLineAndColumn(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const { line, character } = new LineIndex(text).positionAt(Number(position[1]));
  return `${message} (line ${line + 1}, column ${character + 1})`;
}

function describeReadError(code: string | undefined, error: unknown): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
