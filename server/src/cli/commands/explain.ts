import { planStatement, type StatementPlan } from '../../analysis/plan-stage';
import { planReportOptions } from '../../analysis/plan-settings';
import type { PglensSettings } from '../../config';
import type { ExplainOutcome } from '../../db/explain';
import type { PlanDatabase } from '../../db/plan-database';
import { severityRank, type Severity } from '../../finding';
import { planNotes, reportPlan } from '../../plan/report';
import { loadParser } from '../../sql/parse';
import { parseArgs, UsageError, type OptionSpec } from '../args';
import type { CliCommand } from '../command';
import { ConfigError, loadCliSettings } from '../config-file';
import { splitFileLine, statementInFile, TargetError, workspaceRootOf, type ExplainTarget } from '../explain-target';
import { colorEnabled, palette } from '../format/color';
import { EXPLAIN_FORMATS, formatExplain, type ExplainFormat, type ExplainReport } from '../format/plan-output';
import { HELP_OPTION } from '../help';
import { ExitCode, type CliIo } from '../io';
import { openCliDatabase } from '../plan-database';
import { PRODUCT_NAME } from '../product';
import { oneShot } from '../one-shot';

type FailOn = Exclude<Severity, 'hint'> | 'never';
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'information', 'never'];

const OPTIONS: readonly OptionSpec[] = [
  { name: 'sql', value: { placeholder: 'SQL' }, description: 'The query to explain, instead of FILE[:LINE].' },
  { name: 'db', value: { placeholder: 'URL' }, description: 'The PostgreSQL database to plan on (postgresql://…).' },
  { name: 'analyze', description: 'Run the query (EXPLAIN ANALYZE) for real row counts and timings; reads run read-only.' },
  {
    name: 'analyze-writes',
    value: { placeholder: 'MODE', choices: ['never', 'rollback'] },
    description: 'never (default): --analyze on INSERT/UPDATE/DELETE/MERGE shows the estimated plan; rollback: run it in a transaction that is rolled back.',
  },
  { name: 'param', value: { placeholder: 'VALUE' }, description: 'A value for $1, then $2, …, used by --analyze (repeat it); missing ones are sampled.' },
  { name: 'format', value: { placeholder: 'FORMAT', choices: EXPLAIN_FORMATS }, description: 'text (default), json, or html (a standalone plan page).' },
  { name: 'fail-on', value: { placeholder: 'SEVERITY', choices: FAIL_ON }, description: 'Exit 1 when a plan finding is at least this severe: error, warning (default), information, or never.' },
  { name: 'config', value: { placeholder: 'FILE' }, description: 'Read settings from FILE instead of .pglens.json in the workspace root.' },
];

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'Show the plan of one query, with what is slow in it.',
  operands: '(--sql SQL | FILE[:LINE])',
  options: OPTIONS,
  epilogue: [
    'FILE[:LINE] names a .sql or TypeScript/JavaScript file and the line of the query (optional when the',
    'file holds one). The database: --db, else databaseUrl in .pglens.json, DATABASE_URL in .env or the',
    'environment, the PG* variables, else the embedded sandbox built from the workspace\'s migrations.',
    'Reads run inside BEGIN READ ONLY … ROLLBACK; writes are never executed unless --analyze-writes',
    'rollback is given, and not even then when a sequence, trigger or foreign table would escape the rollback.',
    '',
    'Exit status: 0 no plan finding reaches --fail-on, 1 some finding does, 2 bad arguments or',
    'settings, a database that cannot be used, or a query PostgreSQL cannot plan.',
  ].join('\n'),
  run: runExplain,
};

const WHO = `${PRODUCT_NAME} explain`;

async function runExplain(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { options, values, positionals } = parseArgs(argv, [...OPTIONS, HELP_OPTION]);
  const sql = stringOption(options, 'sql');
  if (sql !== undefined && positionals.length > 0) throw new UsageError('give either --sql or FILE[:LINE], not both');
  if (sql === undefined && positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'say what to explain: --sql "SELECT …" or FILE[:LINE]' : 'explain takes one FILE[:LINE] at a time');
  }
  const format = (stringOption(options, 'format') ?? 'text') as ExplainFormat;
  const failOn = (stringOption(options, 'fail-on') ?? 'warning') as FailOn;
  const fail = (message: string) => {
    io.stderr.write(`${WHO}: ${message}\n`);
    return ExitCode.usage;
  };

  const location = sql === undefined ? await splitFileLine(positionals[0]) : undefined;
  const workspaceRoot = location ? await workspaceRootOf(location.file) : '.';
  let settings: PglensSettings;
  try {
    const loaded = await loadCliSettings(workspaceRoot, stringOption(options, 'config'));
    for (const warning of loaded.warnings) io.stderr.write(`${PRODUCT_NAME}: warning: ${warning}\n`);
    settings = loaded.settings;
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  const analyzeWrites = stringOption(options, 'analyze-writes');
  if (analyzeWrites === 'never' || analyzeWrites === 'rollback') settings = { ...settings, explain: { ...settings.explain, analyzeWrites } };

  await loadParser();
  let target: ExplainTarget;
  try {
    target = sql === undefined ? await statementInFile(location!.file, location!.line, settings) : { kind: 'sql', sql };
  } catch (error) {
    if (error instanceof TargetError) return fail(error.message);
    throw error;
  }

  const opened = await openCliDatabase({ url: stringOption(options, 'db'), settings, workspaceRoot, io });
  if (opened.kind === 'failed') return fail(opened.message);
  if (opened.kind === 'none') {
    return fail('there is no database to plan on; pass --db postgresql://…, set DATABASE_URL (in .env or the environment), or add migrations for the embedded sandbox.');
  }
  let report: ExplainReport | string;
  try {
    report = await explainTarget(target, opened.database, opened.description, settings, {
      analyze: options.has('analyze'),
      params: values.get('param') ?? [],
    });
  } finally {
    await opened.database.dispose();
  }
  if (typeof report === 'string') return fail(report);

  io.stdout.write(formatExplain(format, report, palette(format === 'text' && colorEnabled(io.stdout, io.env))));
  if (failOn === 'never') return ExitCode.ok;
  const threshold = severityRank(failOn);
  return report.findings.some((finding) => severityRank(finding.severity) <= threshold) ? ExitCode.findings : ExitCode.ok;
}

/** Plans the target; a string is why there is no plan. */
async function explainTarget(
  target: ExplainTarget,
  database: PlanDatabase,
  description: string,
  settings: PglensSettings,
  request: { analyze: boolean; params: readonly string[] },
): Promise<ExplainReport | string> {
  const catalog = await database.catalog();
  const context = { explain: database.explain, settings, catalog };
  let plan: StatementPlan | { sql: string; outcome: ExplainOutcome };
  if (target.kind === 'file') {
    const planned = await planStatement(target.file, target.lines, target.statement, context, request);
    if (!planned) return 'pglens cannot explain this statement.';
    plan = planned;
  } else {
    plan = {
      sql: target.sql,
      outcome: await database.explain(target.sql, {
        ...request,
        analyzeWrites: settings.explain.analyzeWrites,
        statementTimeoutMs: settings.explain.statementTimeoutMs,
      }),
    };
  }
  const { outcome } = plan;
  if (!outcome.ok) return oneShot(outcome.message);
  const read = 'report' in plan && plan.report
    ? plan.report
    : reportPlan(outcome, planReportOptions(settings, catalog));
  if ('error' in read) return `pglens could not read the plan PostgreSQL returned (${read.error}); please report this with the query.`;
  // The runner names the setting; on the command line it is a flag.
  const notes = planNotes(outcome).map((note) => note.replace(/set analyzeWrites to "rollback"/, 'pass --analyze-writes rollback'));
  return {
    query: plan.sql,
    database: description,
    sandbox: database.kind === 'sandbox',
    outcome,
    plan: read.plan,
    findings: read.findings,
    placed: 'findings' in plan ? plan.findings : undefined,
    notes,
  };
}

function stringOption(options: Map<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  if (value === true) throw new UsageError(`option '--${name}' needs a value`);
  return value;
}
