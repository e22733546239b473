import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Another editor than VS Code: headless Neovim with its built-in LSP client starts the built server
 * (`node dist/server.js --stdio`) as test/nvim/init.lua configures it, and reports what it received.
 */
const root = resolve(__dirname, '..');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const available = nvim.status === 0;
if (!available) {
  const message = 'SKIPPED the Neovim test: nvim is not installed; run `bash test/e2e/setup-code-server.sh` (it installs Debian’s neovim).';
  if (process.env.CI === 'true') throw new Error(`${message} CI must install it.`);
  console.warn(`\n*** ${message} ***\n`);
}

interface NeovimDiagnostic {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  severity: number;
  message: string;
  source: string;
  code: string;
}

describe.skipIf(!available)('pglens in Neovim (built-in LSP client)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pglens-nvim-'));
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('receives sql-syntax and select-star diagnostics for a .sql file, at the right places', () => {
    const file = join(dir, 'broken.sql');
    const out = join(dir, 'diagnostics.json');
    writeFileSync(file, 'SELECT * FROM users WHERE id = 1;\n\nSELECT id FROM users WHERE ORDER BY id;\n');
    const run = spawnSync('nvim', ['--headless', '-u', join(root, 'test', 'nvim', 'init.lua')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PGLENS_SERVER: join(root, 'dist', 'server.js'), PGLENS_FILE: file, PGLENS_OUT: out },
    });
    const result = JSON.parse(readFileSync(out, 'utf8')) as { error?: string; neovim?: string; diagnostics?: NeovimDiagnostic[] };
    expect(result.error, `${run.stdout}${run.stderr}`).toBeUndefined();
    expect(run.status).toBe(0);

    const byCode = (code: string) => result.diagnostics?.find((d) => d.code === code);
    // Neovim's severities: 1 error, 2 warning.
    expect(byCode('sql-syntax')).toEqual({
      line: 2,
      column: 27,
      end_line: 2,
      end_column: 32,
      severity: 1,
      message: 'Syntax error at or near "ORDER".',
      source: 'pglens',
      code: 'sql-syntax',
    });
    expect(byCode('select-star')).toMatchObject({ line: 0, column: 7, end_column: 8, severity: 2, source: 'pglens' });
    expect(byCode('select-star')?.message).toMatch(/^SELECT \* returns every column of users/);
  }, 90_000);
});
