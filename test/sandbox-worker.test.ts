import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxProgress } from '../server/src/db/sandbox/sandbox';

/**
 * The sandbox as the built extension runs it: the worker entry bundled by esbuild into CommonJS with the
 * options scripts/build.mjs uses, PGlite's assets copied beside it, and PGlite in that worker thread.
 */
const REPO = join(__dirname, '..');
const SHOP = join(REPO, 'examples', 'shop');
const ROWS = { users: 500, products: 100, orders: 3000, order_items: 6000 };
const require = createRequire(join(REPO, 'package.json'));

let out: string;
let sandbox: Sandbox;
const progress: SandboxProgress[] = [];
let longestStallMs = 0;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'pglens-bundle-'));
  await build({
    entryPoints: [join(REPO, 'server/src/db/sandbox/worker-main.ts')],
    outfile: join(out, 'sandbox-worker.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  const pglite = dirname(require.resolve('@electric-sql/pglite'));
  for (const asset of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) copyFileSync(join(pglite, asset), join(out, asset));
  copyFileSync(join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm'), join(out, 'libpg-query.wasm'));

  // PGlite blocks its thread for seconds while it boots and loads; this thread must stay responsive.
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  }, 10);
  try {
    sandbox = await startSandbox(SHOP, { rows: ROWS, worker: join(out, 'sandbox-worker.js'), onProgress: (e) => progress.push(e) });
  } finally {
    clearInterval(ticker);
  }
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('sandbox in a worker thread, from the bundle', () => {
  it('builds the shop and reports progress across the thread boundary', async () => {
    expect(sandbox.problems).toEqual([]);
    expect(sandbox.description).toBe('sandbox (PGlite, PostgreSQL 18) built from 4 migrations, 9,600 synthetic rows');
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['starting', 'migration', 'data', 'analyze', 'ready']));
    const { rows } = await sandbox.query<{ n: number }>('SELECT count(*)::int AS n FROM order_items i JOIN orders o ON o.id = i.order_id');
    expect(rows[0].n).toBe(ROWS.order_items);
  });

  it('keeps the calling thread responsive while PGlite boots and loads', () => {
    expect(longestStallMs).toBeLessThan(1500);
  });

  it('carries parameters, result fields and PostgreSQL error fields across', async () => {
    const result = await sandbox.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [7]);
    expect(result.rows).toEqual([{ email: 'user7@example.com' }]);
    expect(result.fields.map((f) => f.name)).toEqual(['email']);
    await expect(sandbox.query('SELECT nope FROM users')).rejects.toMatchObject({ code: '42703', message: 'column "nope" does not exist' });
  });

  it('runs a held client’s transaction without interleaving', async () => {
    const client = await sandbox.connect();
    await client.query('BEGIN');
    await client.query('CREATE INDEX orders_user_id_idx ON orders (user_id)');
    const plan = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Node Type': string } }] }>('EXPLAIN (FORMAT JSON) SELECT id FROM orders WHERE user_id = $1', [3]);
    await client.query('ROLLBACK');
    client.release();
    expect(plan.rows[0]['QUERY PLAN'][0].Plan['Node Type']).toMatch(/Index|Bitmap/);
    const { rows } = await sandbox.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'orders_user_id_idx'");
    expect(rows[0].n).toBe(0);
  });
});

describe('a worker that dies', () => {
  it('fails pending and later queries with a message, and never takes the caller down', async () => {
    const script = join(out, 'dying-worker.js');
    writeFileSync(script, `
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (m) => {
        if (m.kind === 'start') parentPort.postMessage({ kind: 'ready', facts: { serverVersion: '18.0', majorVersion: 18, description: 'test', migrations: { tool: 'none', files: [] }, applied: [], problems: [], tables: [], syntheticRows: 0, timings: {} } });
        if (m.kind === 'query') process.exit(7);
      });`);
    const doomed = await startSandbox(SHOP, { worker: script });
    await expect(doomed.query('SELECT 1')).rejects.toThrow('The embedded database exited (exit code 7); restart the sandbox or connect a development database.');
    await expect(doomed.query('SELECT 1')).rejects.toThrow(/exit code 7/);
    await doomed.close();
  });

  it('rejects start-up with SandboxStartError when the worker cannot run', async () => {
    await expect(startSandbox(SHOP, { worker: join(out, 'missing-worker.js') })).rejects.toThrow(/embedded database (exited|stopped) while building the sandbox/);
  });
});
