import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../server/src/finding';
import { ORDERS, USERS_CACHED, USERS_QUERYING } from './helpers/n-plus-one-files';

/** `pglens check` finds an N+1 whose query lives in another file, through the built CLI. */
const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
let workspace: string;


function check(): Finding[] {
  const run = spawnSync(process.execPath, [CLI, 'check', workspace, '--format', 'json', '--no-db'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { findings: Finding[] }).findings.filter((f) => f.code === 'query-in-loop');
}

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pglens-n-plus-one-'));
  writeFileSync(join(workspace, 'orders.ts'), ORDERS);
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('pglens check: query-in-loop across files', () => {
  it('reports the call inside the loop when the called function queries in another file', () => {
    writeFileSync(join(workspace, 'users.ts'), USERS_QUERYING);
    const findings = check();
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.file).toBe(join(workspace, 'orders.ts'));
    // `loadUser` on line 5 (0-based 4), inside `await loadUser(id)`.
    const line = ORDERS.split('\n')[finding.range.start.line];
    expect(line.slice(finding.range.start.character, finding.range.end.character)).toBe('loadUser');
    expect(finding.severity).toBe('warning');
    expect(finding.message).toMatch(/once per iteration/);
  });

  it('reports nothing once the called function no longer queries', () => {
    writeFileSync(join(workspace, 'users.ts'), USERS_CACHED);
    expect(check()).toEqual([]);
  });

  it('can be turned off in .pglens.json', () => {
    writeFileSync(join(workspace, 'users.ts'), USERS_QUERYING);
    writeFileSync(join(workspace, '.pglens.json'), JSON.stringify({ rules: { 'query-in-loop': 'off' } }));
    try {
      expect(check()).toEqual([]);
    } finally {
      rmSync(join(workspace, '.pglens.json'));
    }
  });
});
