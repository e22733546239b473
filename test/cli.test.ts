import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES, type Finding } from '../server/src/finding';
import { allRules } from '../server/src/rules';

/** These tests run the built `pglens` executable the way a user or CI does, on a real workspace. */
const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const SYNTAX_ERROR: Finding = {
  file: 'cli-workspace/broken.sql',
  range: { start: { line: 7, character: 1 }, end: { line: 7, character: 5 } },
  severity: 'error',
  code: 'sql-syntax',
  message: 'Syntax error at or near "LIMT".',
  data: { parserMessage: 'syntax error at or near "LIMT"' },
};

/** The same mistake inside a query call in TypeScript, placed through the extractor's position map. */
const TS_SYNTAX_ERROR: Finding = {
  ...SYNTAX_ERROR,
  file: 'cli-workspace/src/customers.ts',
  range: { start: { line: 10, character: 5 }, end: { line: 10, character: 9 } },
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function pglens(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
  // These tests are about the static checks; plans (and the sandbox the fixture's migrations would
  // start) are tested in cli-plans.test.ts.
  if (args[0] === 'check' && !args.includes('--db')) args = [...args, '--no-db'];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR']) if (!options.env?.[name]) delete env[name];
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? FIXTURES, env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function findingsOf(run: Run): Finding[] {
  const output = JSON.parse(run.stdout) as { version: number; findings: Finding[] };
  expect(output.version).toBe(1);
  return output.findings;
}

const syntaxFindings = (findings: Finding[]) => findings.filter((finding) => finding.code === 'sql-syntax');

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'pglens-cli-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A private copy of the fixture workspace, for tests that add files to it. */
function copyOfWorkspace(name: string): string {
  const copy = join(scratch, name);
  cpSync(join(FIXTURES, 'cli-workspace'), join(copy, 'cli-workspace'), { recursive: true });
  return copy;
}

describe('pglens: help, version and usage errors', () => {
  it('prints help listing only the commands that exist', () => {
    const run = pglens(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: pglens <command> \[options\]$/m);
    expect(run.stdout).toMatch(/^ {2}check \[PATH…\] +Check the SQL/m);
    expect(run.stdout).toMatch(/^ {2}explain \(--sql SQL \| FILE\[:LINE\]\) +Show the plan/m);
    expect(run.stdout).toMatch(/^ {2}advise \(--sql SQL .*\) +Suggest indexes/m);
    const listed = [...run.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((match) => match[1]);
    expect(listed).toEqual(['check', 'explain', 'advise']);
    expect(pglens(['-h']).stdout).toBe(run.stdout);
  });

  it('prints the package version', () => {
    const run = pglens(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${VERSION}\n`);
  });

  it('prints the help of check with every option', () => {
    for (const args of [['check', '--help'], ['check', '-h'], ['help', 'check']]) {
      const run = pglens(args);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Usage: pglens check \[PATH…\] \[options\]$/m);
      for (const option of ['--format FORMAT', '--fail-on SEVERITY', '--config FILE', '--db URL', '-h, --help']) {
        expect(run.stdout).toContain(option);
      }
    }
  });

  it('exits 2 with usage on stderr when no command is given', () => {
    const run = pglens([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: pglens <command>/m);
  });

  it('exits 2 on an unknown command with a hint to the help', () => {
    const run = pglens(['lint']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("pglens: unknown command 'lint'\nRun 'pglens --help' for usage.\n");
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['-x'], "unknown option '-x'"],
    [['--format', 'xml'], "option '--format' does not accept 'xml': use text, json, sarif"],
    [['--format=html'], "option '--format' does not accept 'html'"],
    [['--fail-on', 'hint'], "option '--fail-on' does not accept 'hint': use error, warning, information, never"],
    [['--format'], "option '--format' needs a value"],
    [['--config', '--format', 'json'], "option '--config' needs a value"],
    [['--help=yes'], "option '--help' takes no value"],
  ])('exits 2 on bad arguments %j', (args, message) => {
    const run = pglens(['check', 'cli-workspace', ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`pglens check: ${message}`);
    expect(lines[1]).toBe("Run 'pglens check --help' for usage.");
  });

  it('exits 2 for a path that does not exist, before printing anything on stdout', () => {
    const run = pglens(['check', 'cli-workspace', 'cli-workspace/missing.sql', '--format', 'json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('pglens check: no such file or folder: cli-workspace/missing.sql\n');
  });
});

describe('pglens check --format json', () => {
  it('prints one JSON object with the syntax errors at their exact positions and exits 1', () => {
    const run = pglens(['check', 'cli-workspace', '--format', 'json']);
    expect(run.status).toBe(1);
    const findings = findingsOf(run);
    expect(syntaxFindings(findings)).toEqual([SYNTAX_ERROR, TS_SYNTAX_ERROR]);
    for (const finding of findings) {
      expect(SEVERITIES).toContain(finding.severity);
      expect(Object.keys(finding).slice(0, 6)).toEqual(['file', 'range', 'severity', 'code', 'message', 'data']);
    }
  });

  it('reports nothing from node_modules or .gitignore’d folders, and skips a binary file with a notice', () => {
    const run = pglens(['check', 'cli-workspace', '--format', 'json']);
    const files = findingsOf(run).map((finding) => finding.file);
    expect(files.every((file) => file.startsWith('cli-workspace/'))).toBe(true);
    expect(files.filter((file) => /node_modules|generated|binary/.test(file))).toEqual([]);
    expect(run.stderr).toContain('pglens: cli-workspace/binary.sql: Skipped: the file looks binary.');
    expect(run.stderr).not.toContain('node_modules');
    expect(run.stderr).not.toContain('generated');
  });

  it('sorts findings by file, then position', () => {
    const dir = copyOfWorkspace('sorted');
    // Broken statements spread over many files, so concurrent reading finishes them out of order.
    for (let i = 0; i < 40; i++) {
      const padding = 'SELECT 1;\n'.repeat((i * 7919) % 300);
      writeFileSync(join(dir, 'cli-workspace', `q${i}.sql`), `${padding}SELEC ${i};\nSELECT 2;\nSELEC x;\n`);
    }
    const run = pglens(['check', 'cli-workspace', '--format', 'json'], { cwd: dir });
    const found = syntaxFindings(findingsOf(run));
    expect(found).toHaveLength(82); // two in each of 40 files, one in broken.sql, one in customers.ts
    const key = (f: Finding) => [f.file, f.range.start.line, f.range.start.character] as const;
    const sorted = [...found].sort((a, b) => {
      const [fa, la, ca] = key(a);
      const [fb, lb, cb] = key(b);
      return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb;
    });
    expect(found.map(key)).toEqual(sorted.map(key));
    expect(found.filter((f) => f.file === 'cli-workspace/q10.sql').map((f) => f.range.start.line)).toEqual([(10 * 7919) % 300, ((10 * 7919) % 300) + 2]);
  });

  it('names files as typed on the command line, joined with the path inside', () => {
    const fromRepo = pglens(['check', 'test/fixtures/cli-workspace/', '--format', 'json'], { cwd: ROOT });
    expect(syntaxFindings(findingsOf(fromRepo)).map((f) => f.file)).toEqual([
      'test/fixtures/cli-workspace/broken.sql',
      'test/fixtures/cli-workspace/src/customers.ts',
    ]);
    const dotted = pglens(['check', './cli-workspace/src', '--format', 'json']);
    expect(syntaxFindings(findingsOf(dotted)).map((f) => f.file)).toEqual(['cli-workspace/src/customers.ts']);
  });

  it('checks a single file, and a file inside a folder also given only once', () => {
    const single = pglens(['check', 'cli-workspace/broken.sql', '--format', 'json']);
    expect(single.status).toBe(1);
    expect(syntaxFindings(findingsOf(single))).toEqual([SYNTAX_ERROR]);
    const overlapping = pglens(['check', 'cli-workspace', 'cli-workspace/broken.sql', '--format', 'json']);
    expect(syntaxFindings(findingsOf(overlapping))).toEqual([SYNTAX_ERROR, TS_SYNTAX_ERROR]);
  });
});

describe('pglens check: exit status', () => {
  it('exits 0 when nothing is found', () => {
    const run = pglens(['check', 'cli-workspace/db', 'cli-workspace/queries']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('No problems found in 2 files.\n');
  });

  it('exits 0 with --fail-on never even though findings are printed', () => {
    const run = pglens(['check', 'cli-workspace', '--fail-on', 'never', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(syntaxFindings(findingsOf(run))).toEqual([SYNTAX_ERROR, TS_SYNTAX_ERROR]);
  });

  it('compares findings with the --fail-on threshold', () => {
    const config = ['--config', 'cli-workspace/configs/syntax-as-information.json'];
    const asInformation = pglens(['check', 'cli-workspace/broken.sql', '--format', 'json', ...config]);
    expect(syntaxFindings(findingsOf(asInformation))).toEqual([{ ...SYNTAX_ERROR, severity: 'information' }]);
    expect(asInformation.status).toBe(0); // default threshold: warning
    expect(pglens(['check', 'cli-workspace/broken.sql', ...config, '--fail-on', 'information']).status).toBe(1);
    expect(pglens(['check', 'cli-workspace/broken.sql', '--fail-on', 'error']).status).toBe(1);
    expect(pglens(['check', 'cli-workspace/broken.sql', ...config, '--fail-on=error']).status).toBe(0);
  });

  it('plans on the database --db names; tables it lacks give no plan findings and no noise', () => {
    const run = pglens(['check', 'cli-workspace/db', '--db', 'postgres://postgres@127.0.0.1:5432/test']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('pglens check --format text', () => {
  it('prints file:line:col severity code message, the source line with a caret, and a summary', () => {
    const run = pglens(['check', 'cli-workspace/broken.sql']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      [
        'cli-workspace/broken.sql:8:2 error sql-syntax Syntax error at or near "LIMT".',
        '  8 |  LIMT 20;',
        '    |  ^^^^',
        '',
        '1 error in 1 file (1 file checked).',
        '',
      ].join('\n'),
    );
  });

  it('counts checked and skipped files in the summary', () => {
    const run = pglens(['check', 'cli-workspace']);
    expect(run.stdout).toMatch(/^\d+ errors(, \d+ \w+)* in \d+ files \(5 files checked, 1 skipped\)\.$/m);
    expect(run.stdout).toContain('cli-workspace/broken.sql:8:2 error sql-syntax Syntax error at or near "LIMT".\n');
  });

  it('colours only when asked: FORCE_COLOR on, NO_COLOR or a pipe off', () => {
    const plain = pglens(['check', 'cli-workspace/broken.sql']);
    expect(plain.stdout).not.toContain('\u001b[');
    const coloured = pglens(['check', 'cli-workspace/broken.sql'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[31merror\u001b[39m');
    expect(coloured.stdout.replace(/\u001b\[\d+m/g, '')).toBe(plain.stdout);
    expect(pglens(['check', 'cli-workspace/broken.sql'], { env: { NO_COLOR: '1' } }).stdout).toBe(plain.stdout);
    expect(pglens(['check', 'cli-workspace/broken.sql'], { env: { FORCE_COLOR: '0' } }).stdout).toBe(plain.stdout);
  });

  it('cuts a very long line to a window around the finding', () => {
    const dir = copyOfWorkspace('long-line');
    const columns = Array.from({ length: 200 }, (_, i) => `c${i}`).join(', ');
    writeFileSync(join(dir, 'cli-workspace', 'wide.sql'), `SELECT ${columns} FROM t WHERE LIMT 1;\n`);
    const run = pglens(['check', 'cli-workspace/wide.sql'], { cwd: dir });
    const [head, source, caret] = run.stdout.split('\n');
    expect(head).toMatch(/^cli-workspace\/wide\.sql:1:\d+ error sql-syntax /);
    const column = Number(/:1:(\d+) /.exec(head)?.[1]);
    expect(source.length).toBeLessThan(200);
    expect(source).toMatch(/^ {2}1 \| …/);
    expect(source.slice(caret.indexOf('^'), caret.lastIndexOf('^') + 1)).toBe('1');
    expect(column).toBeGreaterThan(1000);
  });
});

describe('pglens check --format sarif', () => {
  it('writes SARIF 2.1.0 with the registry’s rules and 1-based UTF-16 regions', () => {
    const run = pglens(['check', 'test/fixtures/cli-workspace', '--format', 'sarif'], { cwd: ROOT });
    expect(run.status).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const [sarifRun] = sarif.runs;
    expect(sarifRun.columnKind).toBe('utf16CodeUnits');
    expect(sarifRun.tool.driver).toMatchObject({ name: 'pglens', version: VERSION });
    const rules = sarifRun.tool.driver.rules as { id: string; shortDescription: { text: string }; helpUri: string }[];
    expect(rules.map((rule) => rule.id)).toEqual(allRules().map((rule) => rule.code));
    for (const rule of rules) {
      expect(rule.shortDescription.text).toBe(allRules().find((r) => r.code === rule.id)?.summary);
      // Rule pages are linked once the manifest names its repository; never a made-up address.
      if (rule.helpUri !== undefined) expect(rule.helpUri).toMatch(new RegExp(`^https://.*/docs/rules/${rule.id}\\.md$`));
    }
    const syntax = sarifRun.results.filter((result: { ruleId: string }) => result.ruleId === 'sql-syntax');
    expect(syntax).toHaveLength(2);
    expect(syntax[1].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'test/fixtures/cli-workspace/src/customers.ts' },
      region: { startLine: 11, startColumn: 6, endLine: 11, endColumn: 10 },
    });
    expect(syntax.slice(0, 1)).toEqual([
      {
        ruleId: 'sql-syntax',
        ruleIndex: rules.findIndex((rule) => rule.id === 'sql-syntax'),
        level: 'error',
        message: { text: SYNTAX_ERROR.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'test/fixtures/cli-workspace/broken.sql' },
              region: { startLine: 8, startColumn: 2, endLine: 8, endColumn: 6 },
            },
          },
        ],
        properties: { data: SYNTAX_ERROR.data },
      },
    ]);
    for (const result of sarifRun.results) {
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
    }
  });

  it('maps an information finding to the note level', () => {
    const run = pglens(['check', 'cli-workspace/broken.sql', '--format', 'sarif', '--config', 'cli-workspace/configs/syntax-as-information.json']);
    const results = JSON.parse(run.stdout).runs[0].results as { ruleId: string; level: string }[];
    expect(results.filter((r) => r.ruleId === 'sql-syntax').map((r) => r.level)).toEqual(['note']);
  });
});

describe('pglens check: files it does not analyse', () => {
  it('skips a file larger than maxFileBytes with a notice, without reading it into the findings', () => {
    const dir = copyOfWorkspace('large');
    writeFileSync(join(dir, 'cli-workspace', 'huge.sql'), 'SELEC 1;\n'.repeat(600_000)); // 5.4 MB of errors
    const run = pglens(['check', 'cli-workspace', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(findingsOf(run).filter((f) => f.file.endsWith('huge.sql'))).toEqual([]);
    expect(run.stderr).toContain('pglens: cli-workspace/huge.sql: Skipped: the file is 5400000 bytes, more than maxFileBytes (4194304)');

    writeFileSync(join(dir, 'cli-workspace', '.pglens.json'), JSON.stringify({ maxFileBytes: 100 }));
    writeFileSync(join(dir, 'cli-workspace', 'small.sql'), 'SELEC 1;\n'.repeat(20));
    const limited = pglens(['check', 'cli-workspace', '--format', 'text'], { cwd: dir });
    expect(limited.stderr).toContain('pglens: cli-workspace/small.sql: Skipped: the file is 180 bytes, more than maxFileBytes (100)');
    expect(limited.stdout).not.toContain('small.sql:');
  });

  it('skips a file given by name that pglens does not read, and refuses a path that is not a file or folder', () => {
    const run = pglens(['check', 'cli-workspace/configs/bad-setting.json', 'cli-workspace/broken.sql']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('pglens: cli-workspace/configs/bad-setting.json: Skipped: pglens reads only .sql and TypeScript/JavaScript files.');
    expect(run.stdout).toMatch(/\(1 file checked, 1 skipped\)\.\n$/);
    const device = pglens(['check', '/dev/null']);
    expect(device.status).toBe(2);
    expect(device.stderr).toBe('pglens check: not a file or folder: /dev/null\n');
  });
});

describe('pglens check: settings', () => {
  it('reads .pglens.json at the workspace root, ignoring keys it does not use', () => {
    const run = pglens(['check', 'cli-workspace', '--format', 'json']);
    expect(run.stderr).not.toContain('warning');
    const dir = copyOfWorkspace('rules-off');
    writeFileSync(join(dir, 'cli-workspace', '.pglens.json'), JSON.stringify({ rules: { 'sql-syntax': 'off' }, rows: { orders: 1 } }));
    const off = pglens(['check', 'cli-workspace', '--format', 'json'], { cwd: dir });
    expect(syntaxFindings(findingsOf(off))).toEqual([]);
  });

  it('warns about each invalid setting by name and goes on with the defaults', () => {
    const run = pglens(['check', 'cli-workspace/broken.sql', '--format', 'json', '--config', 'cli-workspace/configs/bad-setting.json']);
    expect(run.status).toBe(1);
    expect(syntaxFindings(findingsOf(run))).toEqual([SYNTAX_ERROR]);
    expect(run.stderr).toContain("pglens: warning: cli-workspace/configs/bad-setting.json: 'rules.sql-syntax' must be one of");
    expect(run.stderr).toContain("pglens: warning: cli-workspace/configs/bad-setting.json: 'maxFileBytes' must be a positive whole number (got -5); using the default.");
  });

  it('exits 2 naming the file and the JSON error when the settings are not JSON', () => {
    const run = pglens(['check', 'cli-workspace', '--config', 'cli-workspace/configs/invalid-json.json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^pglens check: cli-workspace\/configs\/invalid-json\.json is not valid JSON: .+ \(line 3, column 1\)\. /);
  });

  it('exits 2 when the workspace’s own .pglens.json is broken', () => {
    const dir = copyOfWorkspace('broken-config');
    writeFileSync(join(dir, 'cli-workspace', '.pglens.json'), '{ "rules": ');
    const run = pglens(['check', 'cli-workspace'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('pglens check: cli-workspace/.pglens.json is not valid JSON: Unexpected end of JSON input');
  });

  it('exits 2 when --config names a file that does not exist', () => {
    const run = pglens(['check', 'cli-workspace', '--config', 'nowhere.json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('pglens check: cannot read the settings file nowhere.json: no such file. Check the path given to --config.\n');
  });
});
