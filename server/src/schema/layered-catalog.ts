import { EMPTY_CATALOG, type Catalog, type TableInfo } from './catalog';

/**
 * The connected database's catalog first, the workspace's DDL for what the database does not have
 * (a table a migration not yet applied creates): rules see the real keys and indexes where they exist.
 */
export function layeredCatalog(primary: Catalog, fallback: Catalog): Catalog {
  if (fallback === EMPTY_CATALOG) return primary;
  if (primary === EMPTY_CATALOG) return fallback;
  return {
    source: primary.source,
    lookup: (name, schema) => primary.lookup(name, schema) ?? fallback.lookup(name, schema),
    *tables(): Iterable<TableInfo> {
      const seen = new Set<string>();
      for (const table of primary.tables()) {
        seen.add(`${table.schema}.${table.name}`);
        yield table;
      }
      for (const table of fallback.tables()) if (!seen.has(`${table.schema}.${table.name}`)) yield table;
    },
  };
}
