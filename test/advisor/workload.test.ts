import { afterAll, beforeAll, expect, it } from 'vitest';
import { DatabaseCatalog } from '../../server/src/db/catalog';
import { PostgresDatabase } from '../../server/src/db/postgres-database';
import { loadParser } from '../../server/src/sql/parse';
import { scoreWorkload, WORKLOAD, type QueryScore } from '../../bench/lib/advisor-workload';
import type { TestDatabase } from '../db/test-database';
import { createShopDatabase } from './shop-data';

/**
 * The workload score: 22 app-style queries on 1M skewed orders, each labelled with the index an expert
 * would create (or none), scored for the advisor and, in the same run, for a single-column-only
 * strategy. The advisor must reach 93% of the maximum.
 */
let testDb: TestDatabase;
let database: PostgresDatabase;
let catalog: DatabaseCatalog;

beforeAll(async () => {
  await loadParser();
  testDb = await createShopDatabase('CREATE EXTENSION hypopg;');
  database = new PostgresDatabase(testDb.config, { max: 2 });
  catalog = await DatabaseCatalog.load(database);
}, 90_000);

afterAll(async () => {
  await database?.end();
  await testDb?.drop();
});

it('scores at least 0.93 of the maximum, above the single-column strategy', async () => {
  const advisor = await scoreWorkload(database, 'full', { catalog });
  const single = await scoreWorkload(database, 'single-column', { catalog });
  const total = (scores: QueryScore[]) => scores.reduce((sum, s) => sum + s.score, 0);
  const lines = advisor.map((s, i) => `${s.score.toFixed(2)}  ${single[i].score.toFixed(2)}  ${s.sql}\n        expert: ${s.expert}\n        advisor: ${s.suggested} | single-column: ${single[i].suggested}`);
  console.log(
    [
      `Workload score (${WORKLOAD.length} queries): advisor ${total(advisor).toFixed(2)} / ${WORKLOAD.length} = ${(total(advisor) / WORKLOAD.length).toFixed(3)}, ` +
        `single-column ${total(single).toFixed(2)} / ${WORKLOAD.length} = ${(total(single) / WORKLOAD.length).toFixed(3)}`,
      'advisor single query',
      ...lines,
    ].join('\n'),
  );
  expect(total(advisor) / WORKLOAD.length).toBeGreaterThanOrEqual(0.93);
  expect(total(advisor)).toBeGreaterThan(total(single));
});
