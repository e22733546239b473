import type { Fix } from '../finding';
import { indexName } from '../advisor/index-definition';
import { detectMigrationTool, type DetectedTool } from './detect';
import { drizzleMigration } from './drizzle';
import { knexMigration, nodePgMigrateMigration } from './js-migrations';
import type { MigrationPlan, MigrationRequest } from './migration';
import { prismaMigration } from './prisma';
import { sqlFolderMigration } from './sql-folder';

/**
 * The migration writer's entry point: a new migration for an index, in the format and naming of the
 * workspace's migration tool (see detect.ts), as Fixes that create files and never overwrite one.
 */
export async function planMigration(root: string, request: MigrationRequest, detected?: DetectedTool): Promise<MigrationPlan> {
  const tool = detected ?? (await detectMigrationTool(root));
  switch (tool.tool) {
    case 'prisma':
      return prismaMigration(tool, request);
    case 'drizzle':
      return drizzleMigration(tool, request);
    case 'knex':
      return knexMigration(tool, request);
    case 'node-pg-migrate':
      return nodePgMigrateMigration(tool, request);
    default:
      return sqlFolderMigration(tool, request);
  }
}

const TOOL_NAMES: Record<MigrationPlan['tool'], string> = {
  sql: 'SQL',
  dbmate: 'dbmate',
  flyway: 'Flyway',
  'golang-migrate': 'golang-migrate',
  'node-pg-migrate': 'node-pg-migrate',
  knex: 'knex',
  prisma: 'Prisma',
  drizzle: 'drizzle',
  supabase: 'Supabase',
};

/** The plan as quick fixes: the new migration (preferred), then the schema declaration when there is one. */
export function migrationFixes(plan: MigrationPlan, request: MigrationRequest): Fix[] {
  const fixes: Fix[] = [
    {
      title: `Add a ${TOOL_NAMES[plan.tool]} migration creating ${indexName(request.index)}`,
      edits: [],
      creates: plan.files,
      preferred: true,
    },
  ];
  if (plan.schemaEdit) fixes.push({ title: plan.schemaEdit.title, edits: plan.schemaEdit.edits });
  return fixes;
}
