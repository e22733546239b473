import type { ColumnStatistics } from '../db/catalog';
import type { TableInfo } from '../schema/catalog';
import type { IndexDefinition } from './index-definition';

/**
 * A btree's size from the widths of what it stores, for when the verifier could not measure it: per
 * row an 8-byte tuple header and a 4-byte line pointer plus the stored values, MAXALIGNed, on pages
 * filled to 90% (the default fillfactor). Partial indexes are not scaled (their share is unknown here).
 */
const PAGE = 8192;
const FILL = 0.9;
const DEFAULT_WIDTH = 8;

export function estimateIndexBytes(index: IndexDefinition, table: TableInfo, statistics?: ReadonlyMap<string, ColumnStatistics>): number {
  const rows = table.rowEstimate ?? 0;
  const stored = [...index.keys.flatMap((key) => key.columns), ...index.include];
  const values = stored.reduce((sum, column) => sum + (statistics?.get(column)?.averageWidth ?? typeWidth(table, column)), 0);
  const tuple = Math.ceil((8 + values) / 8) * 8 + 4;
  const perPage = Math.max(1, Math.floor((PAGE * FILL - 24) / tuple));
  return (Math.ceil(rows / perPage) + 1) * PAGE;
}

function typeWidth(table: TableInfo, column: string): number {
  const type = table.columns.find((c) => c.name === column)?.type ?? '';
  if (/^(smallint|int2)/.test(type)) return 2;
  if (/^(integer|int4|int|real|float4|date|oid)\b/.test(type)) return 4;
  if (/^(bigint|int8|double|float8|timestamp|time|money)/.test(type)) return 8;
  if (/^uuid/.test(type)) return 16;
  if (/^bool/.test(type)) return 1;
  return DEFAULT_WIDTH * 2;
}
