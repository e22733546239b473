import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, SHOP_SCHEMA, type TestDatabase } from '../db/test-database';
import { LspClient, type PublishDiagnostics } from '../helpers/lsp-client';

/**
 * Load: 200 requests at once — hovers on every query and edits whose diagnostics (static, then the
 * plan's) must come back — over 50 open .sql and .ts documents, against the built server connected to
 * the local PostgreSQL (100k users, 150k orders). Every request is answered, the p95 is printed, the
 * server never holds more connections than `database.maxConnections`, and its memory after the
 * documents close comes back to where the same cycle left it before. The server runs with a small
 * old-generation heap (V8 otherwise grows the heap for a while before collecting, which looks like a
 * leak and is not): a real leak then grows memory cycle after cycle, or ends in an out-of-memory crash.
 */
const server = join(resolve(__dirname, '..', '..'), 'dist', 'server.js');
const MAX_CONNECTIONS = 3;
const DOCUMENTS = 50;
const REQUESTS = 200;
const CYCLES = Number(process.env.PGLENS_LOAD_CYCLES) || 5;
const HEAP_MB = 128;

let db: TestDatabase;
let workspace: string;
let client: LspClient;
let watcher: Client;

/** Four queries per document, their constants varied by document and version so each plan is new. */
function queries(doc: number, version: number): string[] {
  const n = doc * 100 + version;
  return [
    `SELECT id, email FROM users WHERE country = 'de' AND created_at > now() - interval '${n} minutes' LIMIT 50`,
    `SELECT o.id, o.total FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = 'user${n}@example.com' LIMIT 10`,
    `SELECT status, count(*) FROM orders WHERE total > ${n % 1000} GROUP BY status`,
    `SELECT id, total FROM orders WHERE note = 'n${n}' LIMIT 20`,
  ];
}

/** The document's text and where each query is (a position inside its SQL, for the hover). */
function documentText(doc: number, version: number): { text: string; languageId: string; lines: number[]; character: number } {
  const list = queries(doc, version);
  if (doc % 2 === 0) return { text: list.map((q) => `${q};`).join('\n') + '\n', languageId: 'sql', lines: list.map((_, i) => i), character: 20 };
  const body = list.map((q, i) => `  const r${i} = await pool.query(\`${q}\`);`);
  const text = ['import { Pool } from "pg";', 'const pool = new Pool();', 'export async function load() {', ...body, '  return [r0, r1, r2, r3];', '}', ''].join('\n');
  return { text, languageId: 'typescript', lines: list.map((_, i) => 3 + i), character: 45 };
}

const uriOf = (doc: number) => pathToFileURL(join(workspace, doc % 2 === 0 ? `q${doc}.sql` : `q${doc}.ts`)).href;

/** The server's resident memory in MB, from /proc. */
function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Samples the server's connections to the scratch database every few milliseconds until stopped. */
function sampleConnections(): { stop(): Promise<number> } {
  let most = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await watcher.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pglens' AND backend_type = 'client backend'",
        [db.name],
      );
      most = Math.max(most, rows[0].n);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return most;
    },
  };
}

beforeAll(async () => {
  db = await createTestDatabase(SHOP_SCHEMA);
  watcher = new Client(db.config);
  await watcher.connect();
  workspace = mkdtempSync(join(tmpdir(), 'pglens-load-'));
  const inherited = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${inherited ?? ''} --max-old-space-size=${HEAP_MB}`.trim();
  try {
    client = new LspClient(server);
  } finally {
    if (inherited === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = inherited;
  }
  await client.initialize({
    rootUri: pathToFileURL(workspace).href,
    initializationOptions: { databaseUrl: db.url, debounceMs: 50, database: { maxConnections: MAX_CONNECTIONS } },
  });
}, 120_000);

afterAll(async () => {
  await client?.shutdown().catch(() => client.kill());
  await watcher?.end().catch(() => undefined);
  await db?.drop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

interface CycleResult {
  hoverMs: number[];
  diagnosticsMs: number[];
  answered: number;
  failures: string[];
  mostConnections: number;
  rssAfterCloseMb: number;
}

/** Opens the documents, sends REQUESTS requests at once, waits for every answer, closes the documents. */
async function cycle(round: number): Promise<CycleResult> {
  const published = (uri: string, version: number) =>
    client.waitFor('textDocument/publishDiagnostics', (p) => (p as PublishDiagnostics).uri === uri && (p as PublishDiagnostics).version === version, 60_000);
  const opened: Promise<unknown>[] = [];
  for (let doc = 0; doc < DOCUMENTS; doc++) {
    const { text, languageId } = documentText(doc, round * 10);
    client.open(uriOf(doc), text, round * 10 + 1, languageId);
    opened.push(published(uriOf(doc), round * 10 + 1));
  }
  await Promise.all(opened);

  const connections = sampleConnections();
  const hoverMs: number[] = [];
  const diagnosticsMs: number[] = [];
  const requests: Promise<unknown>[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const doc = i % DOCUMENTS;
    const started = performance.now();
    if (i < DOCUMENTS) {
      // An edit: its diagnostics are the answer (the plan's come with the second publish).
      const version = round * 10 + 2;
      const { text } = documentText(doc, version);
      client.change(uriOf(doc), text, version);
      requests.push(published(uriOf(doc), version).then(() => diagnosticsMs.push(performance.now() - started)));
    } else {
      const { lines, character } = documentText(doc, round * 10 + 2);
      requests.push(
        client
          .request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf(doc) }, position: { line: lines[i % 4], character } }, 60_000)
          .then((hover) => {
            // Every hover comes with the query's plan (the edits above make most of them new ones).
            expect(hover?.contents.value ?? '').toMatch(/Query plan/);
            hoverMs.push(performance.now() - started);
          }),
      );
    }
  }
  const settled = await Promise.allSettled(requests);
  const mostConnections = await connections.stop();
  for (let doc = 0; doc < DOCUMENTS; doc++) client.close(uriOf(doc));
  // Closed documents publish empty diagnostics; then give the server a moment to let go of them.
  await new Promise((r) => setTimeout(r, 3_000));
  return {
    hoverMs,
    diagnosticsMs,
    answered: settled.filter((s) => s.status === 'fulfilled').length,
    failures: settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : [])),
    mostConnections,
    rssAfterCloseMb: residentMb(client.pid!),
  };
}

describe('load: 200 requests at once over 50 open documents', () => {
  it('answers all of them, within the connection limit, and memory does not grow from cycle to cycle', async () => {
    const results: CycleResult[] = [];
    for (let round = 0; round < CYCLES; round++) results.push(await cycle(round));
    for (const [round, result] of results.entries()) {
      console.info(
        `load cycle ${round + 1}: ${result.answered}/${REQUESTS} answered; hover p50 ${percentile(result.hoverMs, 50).toFixed(0)} ms, p95 ${percentile(result.hoverMs, 95).toFixed(0)} ms; ` +
          `diagnostics p50 ${percentile(result.diagnosticsMs, 50).toFixed(0)} ms, p95 ${percentile(result.diagnosticsMs, 95).toFixed(0)} ms; ` +
          `at most ${result.mostConnections} connections (limit ${MAX_CONNECTIONS}); RSS after closing ${result.rssAfterCloseMb.toFixed(0)} MB`,
      );
      expect(result.failures.slice(0, 3)).toEqual([]);
      expect(result.answered).toBe(REQUESTS);
      expect(result.mostConnections).toBeGreaterThan(0);
      expect(result.mostConnections).toBeLessThanOrEqual(MAX_CONNECTIONS);
    }
    // The first two cycles warm everything up (parser, pool, the plan and advice caches fill to their
    // bounds); later ones must come back to where the second left memory.
    const baseline = results[1].rssAfterCloseMb;
    for (const result of results.slice(2)) expect(result.rssAfterCloseMb).toBeLessThan(baseline + 20);
    expect(client.alive).toBe(true);
    expect(client.stderr).not.toMatch(/unhandled promise rejection|uncaught exception/i);
  }, 240_000);
});
