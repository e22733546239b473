import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { adviseQuery } from '../../advisor/advise';
import { resolveAdvisorSettings, type AdvisorSettings } from '../../advisor/settings';
import { adviseWorkspace } from '../../advisor/workspace';
import type { PglensSettings } from '../../config';
import { loadParser } from '../../sql/parse';
import { parseArgs, UsageError, type OptionSpec } from '../args';
import type { CliCommand } from '../command';
import { CONFIG_FILE_NAME, ConfigError, loadCliSettings } from '../config-file';
import { colorEnabled, palette } from '../format/color';
import { ADVICE_FORMATS, formatAdviceJson, formatAdviceText, type AdviceFormat, type AdviceReport } from '../format/advice';
import { HELP_OPTION } from '../help';
import { ExitCode, type CliIo } from '../io';
import { openCliDatabase } from '../plan-database';
import { PRODUCT_NAME } from '../product';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'sql', value: { placeholder: 'SQL' }, description: 'The query to find indexes for.' },
  { name: 'param', value: { placeholder: 'VALUE' }, description: 'A value for $1, then $2, … (repeat it); without values the generic plan is used.' },
  { name: 'workspace', description: 'Advise on every query found in PATH (default: the current folder), merging indexes that serve several.' },
  { name: 'db', value: { placeholder: 'URL' }, description: 'The PostgreSQL database to verify indexes on (postgresql://…).' },
  { name: 'format', value: { placeholder: 'FORMAT', choices: ADVICE_FORMATS }, description: 'text (default) or json.' },
  { name: 'config', value: { placeholder: 'FILE' }, description: 'Read settings from FILE instead of .pglens.json in the workspace root.' },
];

export const adviseCommand: CliCommand = {
  name: 'advise',
  summary: 'Suggest indexes for a query or a workspace, each verified by the planner.',
  operands: '(--sql SQL [--param VALUE]… | --workspace [PATH])',
  options: OPTIONS,
  epilogue: [
    'Candidates (composite, partial, covering, expression) are tried in front of the planner: with',
    'hypopg when the database has it (advisor.createHypopg in .pglens.json lets pglens create it), else by',
    'building each in a transaction that is rolled back. An index is suggested when it cuts the',
    'estimated cost by advisor.minCostReduction (default 30%). Nothing is left in the database.',
    'The database: --db, else databaseUrl in .pglens.json, DATABASE_URL in .env or the environment,',
    'the PG* variables, else the embedded sandbox built from the workspace\'s migrations.',
    '',
    'Exit status: 0 advice given (possibly none), 2 bad arguments or settings, or no usable database.',
  ].join('\n'),
  run: runAdvise,
};

const WHO = `${PRODUCT_NAME} advise`;

async function runAdvise(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { options, values, positionals } = parseArgs(argv, [...OPTIONS, HELP_OPTION]);
  const sql = stringOption(options, 'sql');
  const workspace = options.has('workspace');
  if (sql !== undefined && workspace) throw new UsageError('give either --sql or --workspace, not both');
  if (sql === undefined && !workspace) throw new UsageError('say what to advise on: --sql "SELECT …" or --workspace [PATH]');
  if (sql !== undefined && positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' after --sql`);
  if (positionals.length > 1) throw new UsageError('--workspace takes one PATH');
  const root = workspace ? (positionals[0] ?? '.') : '.';
  const format = (stringOption(options, 'format') ?? 'text') as AdviceFormat;
  const fail = (message: string) => {
    io.stderr.write(`${WHO}: ${message}\n`);
    return ExitCode.usage;
  };
  if (workspace && !(await fs.stat(root).then((s) => s.isDirectory(), () => false))) return fail(`no such folder: ${root}`);

  let settings: PglensSettings;
  let advisor: AdvisorSettings;
  try {
    const loaded = await loadCliSettings(root, stringOption(options, 'config'));
    for (const warning of loaded.warnings) io.stderr.write(`${PRODUCT_NAME}: warning: ${warning}\n`);
    settings = loaded.settings;
    advisor = await advisorSettings(loaded.file ?? join(root, CONFIG_FILE_NAME), io);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  await loadParser();
  const opened = await openCliDatabase({ url: stringOption(options, 'db'), settings, workspaceRoot: root, io });
  if (opened.kind === 'failed') return fail(opened.message);
  if (opened.kind === 'none') return fail('there is no database to verify indexes on; pass --db postgresql://…, or set DATABASE_URL (in .env or the environment).');
  const notice = (text: string) => io.stderr.write(`${PRODUCT_NAME}: ${text}\n`);
  let report: AdviceReport | string;
  try {
    const database = opened.database.connection.database;
    const catalog = await opened.database.catalog();
    if (!database || !catalog) report = 'the database could not be read; check the connection and try again.';
    else if (sql !== undefined) {
      const advice = await adviseQuery(database, sql, { catalog, settings: advisor, params: values.get('param') });
      if (!advice.ok) report = advice.message;
      else {
        for (const note of advice.notes) notice(`note: ${note}`);
        report = { suggestions: advice.suggestions, unverified: advice.unverified };
      }
    } else {
      const advice = await adviseWorkspace(database, root, { catalog, settings: advisor, analysis: settings });
      for (const failure of advice.failures) notice(`${failure.query.file}:${failure.query.line + 1}: skipped: ${failure.message}`);
      notice(`advised on ${advice.queries} ${advice.queries === 1 ? 'query' : 'queries'} (${advice.plannerCalls} planner calls).`);
      report = { suggestions: advice.suggestions, unverified: advice.unverified };
    }
  } finally {
    await opened.database.dispose();
  }
  if (typeof report === 'string') return fail(report);
  io.stdout.write(format === 'json' ? formatAdviceJson(report) : formatAdviceText(report, palette(colorEnabled(io.stdout, io.env))));
  return ExitCode.ok;
}

/** The `advisor` object of the settings file, over the defaults; bad values are warned about and ignored. */
async function advisorSettings(file: string, io: CliIo): Promise<AdvisorSettings> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : (JSON.parse(text.replace(/^\uFEFF/, '')) as { advisor?: unknown }).advisor;
  } catch {
    raw = undefined; // loadCliSettings has reported the file already
  }
  const { settings, problems } = resolveAdvisorSettings(raw);
  for (const problem of problems) io.stderr.write(`${PRODUCT_NAME}: warning: ${file}: '${problem.setting.replace(/^pglens\./, '')}' ${problem.message}; using the default.\n`);
  return settings;
}

function stringOption(options: Map<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  if (value === true) throw new UsageError(`option '--${name}' needs a value`);
  return value;
}
