import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../server/src/finding';

/** `pglens check` finds an N+1 whose query lives in another file, through the built CLI. */
const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
let workspace: string;

const USERS_QUERYING = `import { Pool } from 'pg';
const pool = new Pool();
export async function loadUser(id: number) {
  const { rows } = await pool.query('SELECT id, email FROM users WHERE id = $1', [id]);
  return rows[0];
}
`;
const USERS_CACHED = `const cache = new Map<number, { id: number }>();
export async function loadUser(id: number) {
  return cache.get(id);
}
`;
const ORDERS = `import { loadUser } from './users';
export async function owners(ids: number[]) {
  const result = [];
  for (const id of ids) {
    result.push(await loadUser(id));
  }
  return result;
}
`;

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
