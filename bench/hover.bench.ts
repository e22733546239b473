/**
 * Hover latency through the language server, server side: the hover handler of a real server (built
 * by createServer, connected to a real PostgreSQL through the real plan stage) timed from the request
 * to its answer, without the JSON-RPC transport. Two cases against the bare `EXPLAIN (FORMAT JSON)`
 * round trip through `pg` in the same run:
 *   - cached: a hover on a query whose plan is in the runner's cache (the diagnostics pass read it);
 *   - uncached: the query was just edited (a new constant) and analysed, so the hover sends a fresh
 *     EXPLAIN (plan rules are off here, so the diagnostics pass sends none for it to share).
 * Targets: cached ≤ 0.2×, uncached ≤ 1.5× of the bare round trip (p50 and p95).
 * Scratch database (100k users, 150k orders), dropped afterwards. Run: `npm run bench -- hover`
 * (or `node dist/hover.bench.js [rounds]`). Connection: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { createMessageConnection, StreamMessageReader as ClientReader, StreamMessageWriter as ClientWriter } from 'vscode-jsonrpc/node';
import {
  CancellationToken,
  createConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Hover,
  type HoverParams,
} from 'vscode-languageserver/node';
import { createServer } from '../server/src/lsp/server';
import { percentile, printTable, timeAsyncMs } from './lib/stats';
import { SERVER, SHOP_SCHEMA, withAdmin } from './lib/postgres';

const ROUNDS = Number(process.argv[2]) || 2000; // enough for a steady p95
const WARMUP = 30;

const query = (n: number) => `SELECT u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = 'de' AND o.total > ${n}`;

async function main(): Promise<void> {
  const name = `pglens_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const bare = new Client({ ...SERVER, database: name });
  const folder = mkdtempSync(join(tmpdir(), 'pglens-hover-bench-'));
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  // The hover handler itself, so the time measured is the server's, not the transport's.
  let hover: ((params: HoverParams, token: CancellationToken) => Promise<Hover | null | undefined>) | undefined;
  const onHover = connection.onHover.bind(connection);
  connection.onHover = (handler) => {
    hover = handler as typeof hover;
    return onHover(handler);
  };
  const server = createServer(connection);
  connection.listen();
  const client = createMessageConnection(new ClientReader(toClient), new ClientWriter(toServer));
  client.onNotification(() => undefined);
  client.onRequest(() => null);
  client.listen();
  try {
    await bare.connect();
    await bare.query(SHOP_SCHEMA);
    const url = `postgresql://${SERVER.user}@${SERVER.host}:${SERVER.port}/${name}`;
    // Plan rules off: the diagnostics pass then sends no EXPLAIN, so the uncached hover sends its own.
    // The index advisor's section is off too: this measures the plan, not the advisor.
    const rules = { 'seq-scan': 'off', 'row-misestimate': 'off', 'disk-spill': 'off', 'index-suggestion': 'off' };
    await client.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(folder).href, capabilities: {}, initializationOptions: { databaseUrl: url, debounceMs: 0, rules } });
    await client.sendNotification('initialized', {});
    const cachedUri = pathToFileURL(join(folder, 'cached.sql')).href;
    const editedUri = pathToFileURL(join(folder, 'edited.sql')).href;
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: cachedUri, languageId: 'sql', version: 1, text: `${query(7)};` } });
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: editedUri, languageId: 'sql', version: 1, text: `${query(0)};` } });
    const at = (uri: string): HoverParams => ({ textDocument: { uri }, position: { line: 0, character: 3 } });
    const until = async (ready: () => boolean) => {
      const deadline = performance.now() + 30_000;
      while (!ready()) {
        if (performance.now() > deadline) throw new Error('the server did not get there in 30 s');
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await until(() => server.database.available !== undefined);
    const first = await hover!(at(cachedUri), CancellationToken.None);
    if (!first || !JSON.stringify(first).includes('Query plan')) throw new Error(`no plan in the hover: ${JSON.stringify(first)}`);

    const samples = { bare: [] as number[], uncached: [] as number[], cached: [] as number[] };
    let version = 1;
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const n = 1000 + i;
      version++;
      const v = version;
      await client.sendNotification('textDocument/didChange', { textDocument: { uri: editedUri, version: v }, contentChanges: [{ text: `${query(n + 0.5)};` }] });
      await until(() => server.documents.get(editedUri)?.version === v);
      // The edit's own analysis is done (as after the debounce); what is timed is the hover.
      await server.scheduler.analysisFor(editedUri);
      const bareExplain = () => timeAsyncMs(() => bare.query(`EXPLAIN (FORMAT JSON) ${query(n)}`));
      // The answer is checked after the clock stops: the bare round trip's time includes no such check.
      let answer: Hover | null | undefined;
      const uncachedHover = async () => {
        const ms = await timeAsyncMs(async () => {
          answer = await hover!(at(editedUri), CancellationToken.None);
        });
        if (!JSON.stringify(answer).includes('Query plan')) throw new Error('the uncached hover has no plan');
        return ms;
      };
      // The bare round trip and the hover take turns going first, so neither finds PostgreSQL (or
      // the machine) warmer than the other.
      let bareMs: number;
      let uncachedMs: number;
      if (i % 2 === 0) {
        bareMs = await bareExplain();
        uncachedMs = await uncachedHover();
      } else {
        uncachedMs = await uncachedHover();
        bareMs = await bareExplain();
      }
      const cachedMs = await timeAsyncMs(() => hover!(at(cachedUri), CancellationToken.None));
      if (i < WARMUP) continue;
      samples.bare.push(bareMs);
      samples.uncached.push(uncachedMs);
      samples.cached.push(cachedMs);
    }

    const base = { p50: percentile(samples.bare, 50), p95: percentile(samples.bare, 95) };
    const row = (label: string, values: number[], target: string) => ({
      '': label,
      'p50 ms': percentile(values, 50),
      'p95 ms': percentile(values, 95),
      'p50 ratio': percentile(values, 50) / base.p50,
      'p95 ratio': percentile(values, 95) / base.p95,
      target,
    });
    console.log(`${ROUNDS} rounds after ${WARMUP} warm-up, PostgreSQL ${(await bare.query('SHOW server_version')).rows[0].server_version}`);
    printTable('Hover latency in the language server vs. bare EXPLAIN through pg', [
      row('bare EXPLAIN (pg)', samples.bare, '1×'),
      row('hover, plan not cached (edited query)', samples.uncached, '≤ 1.5×'),
      row('hover, plan cached', samples.cached, '≤ 0.2×'),
    ]);
  } finally {
    await client.sendRequest('shutdown').catch(() => undefined);
    client.dispose();
    await bare.end().catch(() => undefined);
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    rmSync(folder, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
