import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { DocumentAnalysis } from '../../analyze';
import type { PglensSettings } from '../../config';
import { severityRank, type Finding, type Severity } from '../../finding';
import { loadParser } from '../../sql/parse';
import { listSourceFiles, PathNotFoundError } from '../../workspace/files';
import { runPlanStage } from '../../analysis/plan-stage';
import { describeState } from '../../db/connection';
import { oneShot } from '../one-shot';
import type { PlanDatabase } from '../../db/plan-database';
import { layeredCatalog } from '../../schema/layered-catalog';
import { parseArgs, UsageError, type OptionSpec } from '../args';
import { CatalogsByRoot } from '../catalogs';
import { checkFiles, type CheckResult, type CheckTarget } from '../check-files';
import { indexScripts } from '../script-index';
import type { CliCommand } from '../command';
import { ConfigError, loadCliSettings, type CliSettings } from '../config-file';
import { colorEnabled, palette } from '../format/color';
import { formatJson } from '../format/json';
import { OUTPUT_FORMATS, type CheckReport, type OutputFormat } from '../format/report';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import { HELP_OPTION } from '../help';
import { ExitCode, type CliIo } from '../io';
import { openCliDatabase, type CliDatabase } from '../plan-database';
import { PRODUCT_NAME } from '../product';
import { compareFindings } from '../sort-findings';

type FailOn = Exclude<Severity, 'hint'> | 'never';
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'information', 'never'];

/** Files read and analysed at once: enough to keep the disk busy, few enough to bound memory. */
const CONCURRENCY = 8;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'format', value: { placeholder: 'FORMAT', choices: OUTPUT_FORMATS }, description: 'text (default) for people, json for scripts, sarif for code scanning.' },
  { name: 'fail-on', value: { placeholder: 'SEVERITY', choices: FAIL_ON }, description: 'Exit 1 when a finding is at least this severe: error, warning (default), information, or never.' },
  { name: 'config', value: { placeholder: 'FILE' }, description: 'Read settings from FILE instead of .pglens.json in the workspace root.' },
  { name: 'db', value: { placeholder: 'URL' }, description: 'Plan the queries on this PostgreSQL database (postgresql://…) and add plan findings such as seq-scan.' },
  { name: 'no-db', description: 'Static checks only: plan no query on any database.' },
];

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Check the SQL in .sql files and TypeScript/JavaScript without running it.',
  operands: '[PATH…]',
  options: OPTIONS,
  epilogue: [
    'PATH is a file or a folder (default: the current folder). Folders are searched for .sql and',
    'TypeScript/JavaScript files, honouring .gitignore and skipping node_modules. Settings come from',
    '.pglens.json in the first folder given (else the current folder).',
    '',
    'Plan findings (seq-scan, row-misestimate, disk-spill) come from a database: --db, else databaseUrl',
    'in .pglens.json, DATABASE_URL in .env or the environment, the PG* variables, else the embedded',
    'sandbox built from the workspace\'s migrations (with the rows .pglens.json declares). Queries are',
    'only planned (EXPLAIN without ANALYZE), in read-only transactions.',
    '',
    'Exit status: 0 no finding reaches --fail-on, 1 some finding does, 2 bad arguments or settings, or',
    'a database that cannot be used.',
  ].join('\n'),
  run: runCheck,
};

const WHO = `${PRODUCT_NAME} check`;

async function runCheck(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { options, positionals } = parseArgs(argv, [...OPTIONS, HELP_OPTION]);
  const format = (stringOption(options, 'format') ?? 'text') as OutputFormat;
  const failOn = (stringOption(options, 'fail-on') ?? 'warning') as FailOn;
  const paths = positionals.length > 0 ? positionals : ['.'];

  const kinds = await Promise.all(paths.map(pathKind));
  const unusable = paths.flatMap((path, i) => {
    if (kinds[i] === 'missing') return [`no such file or folder: ${path}`];
    return kinds[i] === 'other' ? [`not a file or folder: ${path}`] : [];
  });
  if (unusable.length > 0) {
    io.stderr.write(unusable.map((problem) => `${WHO}: ${problem}\n`).join(''));
    return ExitCode.usage;
  }
  const workspaceRoot = kinds[0] === 'folder' ? paths[0] : '.';

  let loaded: CliSettings;
  try {
    loaded = await loadCliSettings(workspaceRoot, stringOption(options, 'config'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${WHO}: ${error.message}\n`);
    return ExitCode.usage;
  }
  const notice = (text: string) => io.stderr.write(`${PRODUCT_NAME}: ${text}\n`);
  for (const warning of loaded.warnings) notice(`warning: ${warning}`);
  if (options.has('db') && options.has('no-db')) throw new UsageError("options '--db' and '--no-db' contradict each other; give one");

  await loadParser();
  const catalogs = new CatalogsByRoot(workspaceRoot, (root, message) =>
    notice(`warning: could not read the schema declared under ${root} (${message}); checking without it.`),
  );
  let targets: CheckTarget[];
  try {
    targets = await collectTargets(paths, kinds as ('file' | 'folder')[], catalogs);
  } catch (error) {
    if (!(error instanceof PathNotFoundError)) throw error;
    io.stderr.write(`${WHO}: no such file or folder: ${error.path}\n`);
    return ExitCode.usage;
  }

  const opened: CliDatabase = options.has('no-db')
    ? { kind: 'none' }
    : await openCliDatabase({ url: stringOption(options, 'db'), settings: loaded.settings, workspaceRoot, io });
  if (opened.kind === 'failed') {
    io.stderr.write(`${WHO}: ${opened.message}\nRun with --no-db to check without plans.\n`);
    return ExitCode.usage;
  }
  const database = opened.kind === 'database' ? opened.database : undefined;
  let result: CheckResult;
  let lost: string | undefined;
  try {
    const plans = database ? await planStage(database, loaded.settings) : undefined;
    const scripts = await indexScripts(targets, loaded.settings, CONCURRENCY);
    // A server's catalog knows the real keys and indexes; the sandbox's knows nothing the DDL does not.
    if (plans?.catalog && database?.kind === 'server') {
      const catalog = plans.catalog;
      targets = targets.map((target) => ({ ...target, catalog: layeredCatalog(catalog, target.catalog) }));
    }
    result = await checkFiles(targets, {
      settings: loaded.settings,
      concurrency: CONCURRENCY,
      withExcerpts: format === 'text',
      onSkipped: (file, reason) => notice(`${file}: ${reason}`),
      refine: async (file, text, analysis) => [
        ...scripts.findingsFor(file),
        ...(plans ? await plans.refine(file, text, analysis) : []),
      ],
    });
    lost = plans?.lost();
  } finally {
    await database?.dispose();
  }
  if (lost) {
    io.stderr.write(`${WHO}: the database stopped answering, so plan findings are incomplete (${oneShot(lost)}).\nRun again when it is back, or with --no-db.\n`);
    return ExitCode.usage;
  }
  result.findings.sort(compareFindings);
  const report: CheckReport = result;
  io.stdout.write(render(format, report, io));

  if (failOn === 'never') return ExitCode.ok;
  const threshold = severityRank(failOn);
  return report.findings.some((finding) => severityRank(finding.severity) <= threshold) ? ExitCode.findings : ExitCode.ok;
}

/** The plan stage for each checked file; once the database is lost, the remaining files go unplanned. */
async function planStage(database: PlanDatabase, settings: PglensSettings) {
  const catalog = await database.catalog();
  let lost: string | undefined;
  const refine = async (_file: string, text: string, analysis: DocumentAnalysis): Promise<Finding[]> => {
    if (lost) return [];
    const stage = await runPlanStage(analysis, text, { explain: database.explain, settings, catalog });
    if (stage.stopped === 'connection') lost ??= database.state.status === 'failed' ? database.state.reason : describeState(database.state);
    return stage.findings;
  };
  return { catalog, refine, lost: () => lost };
}

/** Sockets, pipes and devices are refused: reading one could block forever. */
async function pathKind(path: string): Promise<'file' | 'folder' | 'missing' | 'other'> {
  const stat = await fs.stat(path).catch(() => undefined);
  if (!stat) return 'missing';
  return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
}

/** Every file under the given paths once (overlapping paths are fine), each with its catalog. */
async function collectTargets(paths: readonly string[], kinds: readonly ('file' | 'folder')[], catalogs: CatalogsByRoot): Promise<CheckTarget[]> {
  const seen = new Set<string>();
  const targets: CheckTarget[] = [];
  for (const [i, path] of paths.entries()) {
    const [files, catalog] = await Promise.all([listSourceFiles(path), catalogs.forPath(path, kinds[i] === 'folder')]);
    for (const file of files) {
      const key = resolve(file);
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push({ file, catalog });
    }
  }
  return targets;
}

function render(format: OutputFormat, report: CheckReport, io: CliIo): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, process.cwd());
    case 'text':
      return formatText(report, palette(colorEnabled(io.stdout, io.env)));
  }
}

function stringOption(options: Map<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  if (value === true) throw new UsageError(`option '--${name}' needs a value`);
  return value;
}
