/**
 * `query-in-loop` on a generated 1,000-file workspace (~200k lines of pg/Prisma/Kysely code with planted
 * N+1s): building the workspace index and computing every file's findings, against ESLint 10 running
 * only `no-await-in-loop` (with @typescript-eslint/parser) on the same files in the same run.
 * The whole `pglens check` CLI (every static rule, no database) is timed on the same files too.
 * Targets: time ratio ≤ 1.5, resident memory after indexing ≤ 300 MB.
 * Run: `npm run build && node --expose-gc dist/query-in-loop.bench.js [files]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as EslintModule from 'eslint';
import { CodeIndex } from '../server/src/code/code-index';
import { generateWorkspace } from './lib/n-plus-one-workspace';
import { printTable } from './lib/stats';

/** The timed target: read every file, index it, compute every file's findings. */
export function indexAndCheck(files: readonly string[]): { index: CodeIndex; findings: number } {
  const index = new CodeIndex();
  for (const file of files) index.update(file, readFileSync(file, 'utf8'));
  let findings = 0;
  for (const file of files) findings += index.findingsFor(file).length;
  return { index, findings };
}

/** The baseline: ESLint with only `no-await-in-loop`, TypeScript parsed by @typescript-eslint/parser. */
export async function eslintNoAwaitInLoop(root: string, patterns: string[]): Promise<number> {
  // Loaded at run time so the bundler leaves ESLint in node_modules, as users run it.
  const load = createRequire(join(process.cwd(), 'package.json'));
  const { ESLint } = load('eslint') as typeof EslintModule;
  const parser = load('@typescript-eslint/parser');
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser, ecmaVersion: 'latest', sourceType: 'module' }, rules: { 'no-await-in-loop': 'error' } }],
  });
  const results = await eslint.lintFiles(patterns);
  const fatal = results.flatMap((result) => result.messages.filter((message) => message.fatal));
  if (fatal.length) throw new Error(`ESLint could not parse the workspace: ${fatal[0].message}`);
  return results.reduce((sum, result) => sum + result.messages.length, 0);
}

/** The whole `pglens check` as users run it (static rules and query-in-loop, no database): findings and ms. */
function pglensCheck(root: string): number {
  const run = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'cli.js'), 'check', root, '--no-db', '--format', 'json', '--fail-on', 'never'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`pglens check failed (${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { findings: { code: string }[] }).findings.filter((f) => f.code === 'query-in-loop').length;
}

function residentMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
}

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function main(): Promise<void> {
  const fileCount = Number(process.argv[2] ?? 1000);
  const root = mkdtempSync(join(tmpdir(), 'pglens-n-plus-one-'));
  try {
    const workspace = generateWorkspace(root, fileCount);
    const warmup = workspace.files.slice(0, 60);
    if (!(globalThis as { gc?: unknown }).gc) console.log('note: run with node --expose-gc for a resident-memory figure after garbage collection');

    indexAndCheck(warmup);
    const ours = await timed(() => indexAndCheck(workspace.files));
    const rss = residentMb();
    const edited = workspace.files.find((file) => file.includes('/repos/')) as string;
    const incremental = await timed(() => {
      const affected = ours.value.index.update(edited, `${readFileSync(edited, 'utf8')}\n// edited\n`);
      for (const file of affected) ours.value.index.findingsFor(file);
      return affected.length;
    });
    const found = ours.value.findings;
    ours.value.index = new CodeIndex();

    await eslintNoAwaitInLoop(root, warmup.map((file) => file.slice(root.length + 1)));
    const eslint = await timed(() => eslintNoAwaitInLoop(root, ['src/**/*.ts']));
    const cli = await timed(() => pglensCheck(root));

    printTable(`query-in-loop on ${workspace.files.length} files, ${workspace.lines} lines (${workspace.plantedNPlusOne} planted N+1s)`, [
      { measure: 'ESLint no-await-in-loop (baseline)', ms: eslint.ms, 'ratio to baseline': 1, reported: eslint.value },
      { measure: 'pglens index + findings', ms: ours.ms, 'ratio to baseline': ours.ms / eslint.ms, reported: found },
      { measure: 'pglens check (CLI: every rule, no database)', ms: cli.ms, 'ratio to baseline': cli.ms / eslint.ms, reported: cli.value },
      { measure: 'pglens re-check after editing one repository', ms: incremental.ms, 'ratio to baseline': incremental.ms / eslint.ms, reported: incremental.value },
    ]);
    console.log(`resident memory after indexing: ${rss.toFixed(0)} MB`);
    console.log(`found ${found} of ${workspace.plantedNPlusOne} planted N+1s; ESLint reports ${eslint.value} awaits in loops (it cannot see Promise.all(map(…)) N+1s and flags retries and paging)`);
    console.log('targets: ratio ≤ 1.5, resident memory ≤ 300 MB');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
