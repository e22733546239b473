import type { MigrationSource } from './migrations';

/** One line for status and hover: `sandbox (PGlite, PostgreSQL 18) built from 4 migrations, 855,000 synthetic rows`. */
export function describeSandbox(major: number, migrations: MigrationSource, applied: number, syntheticRows: number): string {
  const engine = `sandbox (PGlite, PostgreSQL ${Number.isFinite(major) ? major : '?'})`;
  if (migrations.tool === 'none') return `${engine} with no schema: no migrations or schema.sql found`;
  const total = migrations.files.length;
  const source = migrations.tool === 'schema'
    ? migrations.location ?? 'schema.sql'
    : `${applied === total ? '' : `${applied} of `}${total} migration${total === 1 ? '' : 's'}`;
  const rows = syntheticRows > 0 ? `${syntheticRows.toLocaleString('en-US')} synthetic rows` : 'no synthetic rows';
  const failed = migrations.tool === 'schema' && applied === 0 ? ' (it failed to apply)' : '';
  return `${engine} built from ${source}${failed}, ${rows}`;
}
