import { describe, expect, it } from 'vitest';
import { CodeIndex } from '../../server/src/code/code-index';
import { resolveQueryInLoopSettings } from '../../server/src/code/settings';

const USERS_QUERYING = `import { Pool } from 'pg';
const pool = new Pool();
export async function loadUser(id: number) {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}`;

const USERS_CACHED = `const cache = new Map<number, unknown>();
export async function loadUser(id: number) {
  return cache.get(id);
}`;

const ORDERS = `import { loadUser } from './users';
export async function owners(orders: { userId: number }[]) {
  const found = [];
  for (const order of orders) found.push(await loadUser(order.userId));
  return found;
}`;

const REPORT = `import { owners } from './orders';
export const report = (orders: { userId: number }[]) => owners(orders);`;

describe('CodeIndex', () => {
  it('drops the finding in orders.ts when users.ts stops querying, and brings it back', () => {
    const index = new CodeIndex();
    index.update('/ws/users.ts', USERS_QUERYING);
    index.update('/ws/orders.ts', ORDERS);
    index.update('/ws/report.ts', REPORT);
    expect(index.findingsFor('/ws/orders.ts').map((f) => f.range.start.line)).toEqual([3]);

    expect(index.dependentsOf('/ws/users.ts').sort()).toEqual(['/ws/orders.ts', '/ws/report.ts']);
    expect(index.update('/ws/users.ts', USERS_CACHED).sort()).toEqual(['/ws/orders.ts', '/ws/report.ts', '/ws/users.ts']);
    expect(index.findingsFor('/ws/orders.ts')).toEqual([]);

    index.update('/ws/users.ts', USERS_QUERYING);
    expect(index.findingsFor('/ws/orders.ts')).toHaveLength(1);
  });

  it('finds the N+1 whichever file arrives first, and forgets it when the callee is removed', () => {
    const index = new CodeIndex();
    index.update('/ws/orders.ts', ORDERS);
    expect(index.findingsFor('/ws/orders.ts')).toEqual([]);
    expect(index.update('/ws/users.ts', USERS_QUERYING)).toEqual(['/ws/users.ts', '/ws/orders.ts']);
    expect(index.findingsFor('/ws/orders.ts')).toHaveLength(1);
    expect(index.remove('/ws/users.ts')).toEqual(['/ws/orders.ts']);
    expect(index.findingsFor('/ws/orders.ts')).toEqual([]);
    expect(index.has('/ws/users.ts')).toBe(false);
  });

  it('recomputes only what depends on a change', () => {
    const index = new CodeIndex();
    index.update('/ws/users.ts', USERS_QUERYING);
    index.update('/ws/orders.ts', ORDERS);
    index.update('/ws/other.ts', 'export const x = 1;');
    const before = index.findingsFor('/ws/orders.ts');
    expect(index.update('/ws/other.ts', 'export const x = 2;')).toEqual(['/ws/other.ts']);
    expect(index.findingsFor('/ws/orders.ts')).toBe(before);
    index.update('/ws/users.ts', USERS_QUERYING);
    expect(index.findingsFor('/ws/orders.ts')).not.toBe(before);
  });

  it('resolves imports as TypeScript does: extensions, .js written for .ts, index files', () => {
    const index = new CodeIndex();
    index.update('/ws/lib/users/index.ts', USERS_QUERYING);
    index.update('/ws/lib/users.js', 'export async function loadUser() { return null; }');
    index.update('/ws/a.ts', `import { loadUser } from './lib/users/index.js';\nexport async function f(ids: number[]) { for (const id of ids) await loadUser(id); }`);
    index.update('/ws/b.ts', `import { loadUser } from './lib/users';\nexport async function f(ids: number[]) { for (const id of ids) await loadUser(id); }`);
    expect(index.findingsFor('/ws/a.ts')).toHaveLength(1);
    // `./lib/users` names lib/users.js before the folder's index file.
    expect(index.findingsFor('/ws/b.ts')).toEqual([]);
    index.remove('/ws/lib/users.js');
    expect(index.findingsFor('/ws/b.ts')).toHaveLength(1);
  });

  it('resolves file URIs the same way as paths', () => {
    const index = new CodeIndex();
    index.update('file:///ws/users.ts', USERS_QUERYING);
    index.update('file:///ws/orders.ts', ORDERS);
    expect(index.findingsFor('file:///ws/orders.ts')).toHaveLength(1);
    expect(index.dependentsOf('file:///ws/users.ts')).toEqual(['file:///ws/orders.ts']);
  });

  it('survives import cycles', () => {
    const index = new CodeIndex();
    index.update('/ws/a.ts', `import { b } from './b';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function a(n: number): Promise<unknown> { return n ? b(n - 1) : pool.query('SELECT 1'); }`);
    index.update('/ws/b.ts', `import { a } from './a';\nexport async function b(n: number) { return a(n); }\nexport async function each(ns: number[]) { for (const n of ns) await b(n); }`);
    expect(index.findingsFor('/ws/b.ts')).toHaveLength(1);
    expect(index.dependentsOf('/ws/a.ts')).toEqual(['/ws/b.ts']);
  });
});

describe('queryInLoop settings', () => {
  it('keeps valid method names and explains the rest', () => {
    expect(resolveQueryInLoopSettings({ extraMethods: ['runQuery', 'fetch one', 3] })).toEqual({
      settings: { extraMethods: ['runQuery'] },
      problems: [
        { setting: 'pglens.queryInLoop.extraMethods', message: '"fetch one" is not a method name; use a bare name such as "runQuery"' },
        { setting: 'pglens.queryInLoop.extraMethods', message: '3 is not a method name; use a bare name such as "runQuery"' },
      ],
    });
    expect(resolveQueryInLoopSettings({ extraMethods: 'runQuery' }).problems[0].message).toMatch(/must be a list of method names/);
    expect(resolveQueryInLoopSettings(undefined)).toEqual({ settings: { extraMethods: [] }, problems: [] });
  });
});
