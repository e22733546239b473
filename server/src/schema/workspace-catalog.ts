import type { Catalog } from './catalog';
import { EMPTY_CATALOG } from './catalog';

/**
 * A catalog read from the workspace's DDL: CREATE TABLE / CREATE INDEX / ALTER TABLE statements in
 * .sql files (migrations in order, schema.sql). (Being written: see the rules issue.)
 */
export function buildWorkspaceCatalog(_files: Iterable<{ file: string; text: string }>): Catalog {
  return EMPTY_CATALOG;
}
