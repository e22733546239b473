import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../server/src/analyze';
import type { Explain } from '../server/src/analysis/plan-stage';
import { planStatement, runPlanStage } from '../server/src/analysis/plan-stage';
import { sharedExplain } from '../server/src/analysis/shared-explain';
import { resolveSettings, type PglensSettings } from '../server/src/config';
import { DatabaseCatalog } from '../server/src/db/catalog';
import { ExplainRunner } from '../server/src/db/explain';
import { PostgresDatabase } from '../server/src/db/postgres-database';
import { EMPTY_CATALOG } from '../server/src/schema/catalog';
import { loadParser } from '../server/src/sql/parse';
import { LineIndex } from '../server/src/text/line-index';
import { createTestDatabase, type TestDatabase } from './db/test-database';

/** The plan stage on its own, against the local PostgreSQL (a 120k-row table). */
let db: TestDatabase;
let database: PostgresDatabase;
let catalog: DatabaseCatalog;
let sent: string[];
let explain: Explain;

beforeAll(async () => {
  await loadParser();
  db = await createTestDatabase(`
    CREATE TABLE events (id bigint PRIMARY KEY, kind int NOT NULL, payload text);
    INSERT INTO events SELECT g, g % 40, 'p' || g FROM generate_series(1, 120000) g;
    ANALYZE events;`);
  database = new PostgresDatabase(db.config);
  catalog = await DatabaseCatalog.load(database);
  const runner = new ExplainRunner(database);
  explain = (sql, options) => {
    sent.push(sql);
    return runner.explain(sql, options);
  };
}, 60_000);

afterAll(async () => {
  await database?.end();
  await db?.drop();
});

function stage(text: string, input: unknown = {}, signal?: AbortSignal) {
  sent = [];
  const settings: PglensSettings = resolveSettings(input).settings;
  const analysis = analyzeDocument('q.sql', text, { catalog: EMPTY_CATALOG, settings });
  return runPlanStage(analysis, text, { explain, settings, catalog, signal });
}

describe('the plan stage', () => {
  it('places seq-scan on the table name, with the configured severity and threshold', async () => {
    const text = 'SELECT id FROM events WHERE kind = 7;\nSELECT payload FROM events WHERE id = 5;\n';
    const { findings, plans } = await stage(text);
    expect(findings).toEqual([
      expect.objectContaining({ code: 'seq-scan', severity: 'warning', range: { start: { line: 0, character: 15 }, end: { line: 0, character: 21 } } }),
    ]);
    expect(plans).toHaveLength(2);
    expect((await stage(text, { rules: { 'seq-scan': 'information' } })).findings.map((f) => f.severity)).toEqual(['information']);
    expect((await stage(text, { seqScan: { minRows: 500_000 } })).findings).toEqual([]);
  });

  it('asks the database nothing when every plan rule is off, or for statements no plan can fault', async () => {
    await stage('SELECT id FROM events WHERE kind = 7;', { rules: { 'seq-scan': 'off', 'row-misestimate': 'off', 'disk-spill': 'off' } });
    expect(sent).toEqual([]);
    await stage("INSERT INTO events VALUES (1, 2, 'x');\nSELECT 1;\nCREATE INDEX ON events (kind);\n");
    expect(sent).toEqual([]);
  });

  it('honours suppression comments above the statement', async () => {
    const { findings, plans } = await stage('-- pglens-ignore seq-scan\nSELECT id\n  FROM events WHERE kind = 7;\n');
    expect(plans[0].findings.map((f) => f.code)).toEqual(['seq-scan']);
    expect(findings).toEqual([]);
  });

  it('turns a query the database cannot plan into no finding, with the reason kept for the hover', async () => {
    const { findings, plans, stopped } = await stage('SELECT * FROM invoices WHERE id = 1;\nSELECT id FROM events WHERE kind = 3;\n');
    expect(stopped).toBeUndefined();
    expect(findings.map((f) => f.code)).toEqual(['seq-scan']);
    expect(plans[0].problem).toBe('PostgreSQL could not plan the query: relation "invoices" does not exist.');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await stage('SELECT id FROM events WHERE kind = 7;', {}, controller.signal);
    expect(result).toMatchObject({ stopped: 'cancelled', findings: [] });
  });

  it('plans one statement the user points at, even one no rule could fault', async () => {
    const settings = resolveSettings({}).settings;
    const text = 'SELECT 1 AS one;';
    const analysis = analyzeDocument('q.sql', text, { catalog: EMPTY_CATALOG, settings });
    const plan = await planStatement('q.sql', new LineIndex(text), analysis.statements[0], { explain, settings });
    expect(plan?.report?.plan.root.nodeType).toBe('Result');
  });
});

describe('sharing EXPLAINs in flight', () => {
  it('sends one EXPLAIN for two identical requests, and cancels it only when both give up', async () => {
    sent = [];
    const shared = sharedExplain(explain);
    const sql = `SELECT id FROM events WHERE kind = ${Date.now() % 1000}`;
    const [a, b] = await Promise.all([shared(sql, {}), shared(sql, {})]);
    expect(a).toBe(b);
    expect(sent).toEqual([sql]);

    const first = new AbortController();
    const second = new AbortController();
    const slow = 'SELECT pg_sleep(2), count(*) FROM events';
    const pending = [shared(slow, { analyze: true, signal: first.signal }), shared(slow, { analyze: true, signal: second.signal })];
    first.abort();
    expect(await pending[0]).toMatchObject({ ok: false, reason: 'cancelled' });
    const started = performance.now();
    second.abort();
    expect(await pending[1]).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
