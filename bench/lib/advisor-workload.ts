import { adviseQuery, type AdviseOptions } from '../../server/src/advisor/advise';
import type { CandidateStrategy } from '../../server/src/advisor/candidates';
import { HypopgVerifier } from '../../server/src/advisor/hypopg-verifier';
import type { IndexDefinition, IndexKey } from '../../server/src/advisor/index-definition';
import { Planner } from '../../server/src/advisor/planner';
import { DEFAULT_ADVISOR_SETTINGS } from '../../server/src/advisor/settings';
import type { Database } from '../../server/src/db/queryable';
import { statementFacts } from '../../server/src/db/statement-facts';
import { parseSql } from '../../server/src/sql/parse';

/**
 * App-style queries on the skewed shop (test/advisor/shop-data.ts), each labelled with the index an
 * expert would create for it, or none. A strategy's suggestion scores cost(with the expert's index) /
 * cost(with the suggested indexes), capped at 1; for a "none" query, 1 when nothing is suggested, else 0.
 */
export interface WorkloadQuery {
  sql: string;
  expert: IndexDefinition | 'none';
}

const column = (name: string, descending = false): IndexKey => ({ sql: name, column: name, columns: [name], ...(descending ? { descending } : {}) });
const on = (table: string, keys: (string | IndexKey)[], extra: Partial<IndexDefinition> = {}): IndexDefinition => ({
  schema: 'public',
  table,
  keys: keys.map((key) => (typeof key === 'string' ? column(key) : key)),
  include: [],
  ...extra,
});

export const WORKLOAD: WorkloadQuery[] = [
  { sql: 'SELECT id, status, total, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20', expert: on('orders', ['customer_id', 'created_at']) },
  { sql: "SELECT id, customer_id, total FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 100", expert: on('orders', ['created_at'], { where: "status = 'pending'" }) },
  { sql: "SELECT count(*) FROM orders WHERE status = 'pending'", expert: on('orders', ['status'], { where: "status = 'pending'" }) },
  { sql: 'SELECT id, email, name FROM customers WHERE lower(email) = lower($1)', expert: on('customers', [{ sql: 'lower(email)', columns: ['email'] }]) },
  { sql: 'SELECT * FROM orders WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at LIMIT 100', expert: on('orders', ['created_at']) },
  { sql: 'SELECT o.id, o.total, o.created_at FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1', expert: on('orders', ['customer_id']) },
  { sql: "SELECT customer_id, sum(total) FROM orders WHERE created_at >= now() - interval '7 days' GROUP BY customer_id", expert: on('orders', ['created_at']) },
  { sql: 'SELECT id, total FROM orders WHERE customer_id = $1 AND status = $2', expert: on('orders', ['customer_id', 'status']) },
  { sql: 'SELECT id, name FROM customers WHERE country = $1 AND created_at > $2 ORDER BY created_at LIMIT 50', expert: on('customers', ['country', 'created_at']) },
  { sql: 'SELECT id, created_at FROM orders WHERE customer_id IN ($1, $2, $3)', expert: on('orders', ['customer_id']) },
  { sql: "SELECT id FROM orders WHERE customer_id = $1 AND created_at > now() - interval '30 days'", expert: on('orders', ['customer_id', 'created_at']) },
  {
    sql: "SELECT c.id, c.email FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'pending') ORDER BY c.id LIMIT 10",
    expert: on('orders', ['customer_id'], { where: "status = 'pending'" }),
  },
  { sql: 'SELECT id, total FROM orders WHERE product_id = $1 AND created_at >= $2', expert: on('orders', ['product_id', 'created_at']) },
  { sql: "UPDATE orders SET status = 'cancelled' WHERE customer_id = $1 AND status = 'pending'", expert: on('orders', ['customer_id']) },
  { sql: 'SELECT id, name, created_at FROM customers WHERE created_at >= $1 ORDER BY created_at LIMIT 20', expert: on('customers', ['created_at']) },
  { sql: 'SELECT status, count(*) FROM orders GROUP BY status', expert: 'none' },
  { sql: "SELECT id FROM orders WHERE status = 'shipped'", expert: 'none' },
  { sql: 'SELECT * FROM customers WHERE id = $1', expert: 'none' },
  { sql: 'SELECT count(*) FROM orders', expert: 'none' },
  { sql: "UPDATE orders SET status = 'shipped' WHERE id = $1", expert: 'none' },
  { sql: 'SELECT p.name, sum(o.total) FROM orders o JOIN products p ON p.id = o.product_id GROUP BY p.name', expert: 'none' },
  { sql: "SELECT id, name FROM customers WHERE country = 'us'", expert: 'none' },
];

export interface QueryScore {
  sql: string;
  expert: string;
  suggested: string;
  score: number;
  plannerCalls: number;
}

/** Scores one strategy over the workload; needs hypopg in the database. */
export async function scoreWorkload(database: Database, strategy: CandidateStrategy, options: AdviseOptions = {}): Promise<QueryScore[]> {
  const scores: QueryScore[] = [];
  for (const query of WORKLOAD) {
    const advice = await adviseQuery(database, query.sql, { ...options, strategy });
    if (!advice.ok) throw new Error(`${query.sql}: ${advice.message}`);
    const suggested = advice.suggestions.map((s) => s.index);
    let score: number;
    if (query.expert === 'none') score = suggested.length === 0 ? 1 : 0;
    else {
      const [expertCost, suggestedCost] = await costsWith(database, query.sql, [[query.expert], suggested]);
      score = Math.min(1, expertCost / suggestedCost);
    }
    scores.push({
      sql: query.sql,
      expert: query.expert === 'none' ? 'none' : describe(query.expert),
      suggested: suggested.length ? suggested.map(describe).join(' + ') : 'none',
      score,
      plannerCalls: advice.plannerCalls,
    });
  }
  return scores;
}

/** The statement's estimated cost with each set of hypothetical indexes in place (none: as it is). */
async function costsWith(database: Database, sql: string, sets: IndexDefinition[][]): Promise<number[]> {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  const { parameterCount } = statementFacts(parsed.statements[0].stmt);
  const version = await database.serverVersionNum();
  return database.withSession(async (session) => {
    const verifier = new HypopgVerifier(session, new Planner(session, version, { text: sql, parameterCount }), 'public', DEFAULT_ADVISOR_SETTINGS);
    await verifier.begin();
    try {
      const costs: number[] = [];
      for (const set of sets) {
        if (set.length === 0) {
          costs.push((await verifier.plan()).totalCost);
          continue;
        }
        const trial = await verifier.tryIndexes(set);
        if (!trial.ok) throw new Error(`${sql}: ${trial.reason}`);
        costs.push(trial.plan.totalCost);
      }
      return costs;
    } finally {
      await verifier.end();
    }
  });
}

function describe(index: IndexDefinition): string {
  const keys = index.keys.map((key) => `${key.sql}${key.descending ? ' DESC' : ''}`).join(', ');
  return `${index.table} (${keys})${index.include.length ? ` INCLUDE (${index.include.join(', ')})` : ''}${index.where ? ` WHERE ${index.where}` : ''}`;
}
