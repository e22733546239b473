import type { Session } from '../db/queryable';
import type { AdvisorSettings } from './settings';

/**
 * Whether this database can verify with hypopg: the extension is created (its schema is returned), or
 * the server offers it and `advisor.createHypopg` allows creating it. Otherwise the advisor builds
 * indexes inside a rolled-back transaction; `notes` says why, and how to get hypopg.
 */
export async function findHypopg(session: Session, settings: AdvisorSettings, notes: string[], fallback: 'transaction' | 'none' = 'transaction'): Promise<string | undefined> {
  const instead =
    fallback === 'transaction' ? 'candidates were verified by building them in a transaction that is rolled back' : 'no index was tried (building one would lock the table)';
  const installed = await hypopgSchema(session);
  if (installed) return installed;
  const { rows } = await session.query<{ available: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg') AS available");
  const available = rows[0]?.available === true;
  if (available && settings.createHypopg) {
    try {
      await session.control(['BEGIN READ WRITE', 'CREATE EXTENSION IF NOT EXISTS hypopg', 'COMMIT']);
      const created = await hypopgSchema(session);
      if (created) return created;
    } catch (error) {
      await session.control(['ROLLBACK']).catch(() => undefined);
      notes.push(`hypopg could not be created (${error instanceof Error ? error.message : String(error)}); ${instead}.`);
      return undefined;
    }
  }
  notes.push(
    available
      ? `hypopg is available on the server but not created in this database; ${instead}. Set advisor.createHypopg to true (or run CREATE EXTENSION hypopg) for verification that builds nothing.`
      : `hypopg is not installed on the server; ${instead}. Install hypopg (e.g. the postgresql-NN-hypopg package) for verification that builds nothing.`,
  );
  return undefined;
}

async function hypopgSchema(session: Session): Promise<string | undefined> {
  const { rows } = await session.query<{ schema: string }>(
    "SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg'",
  );
  return rows[0]?.schema;
}
