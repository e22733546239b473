import { parseSql } from '../sql/parse';
import { splitStatements } from '../sql/split';
import { PositionMap } from './position-map';
import type { SqlRegion } from './region';

/**
 * A .sql file. When the file parses, it is one region: the engine's parse of it (memoised) splits the
 * statements, so a large file is parsed exactly once. When it does not parse, it is split at top-level
 * semicolons into one region per statement, so one broken statement yields one `sql-syntax` finding and
 * every other statement is still analysed.
 */
export function extractSqlFile(text: string): SqlRegion[] {
  if (parseSql(text).ok) return [regionOf(text, 0, text.length)];
  return splitStatements(text).map(({ start, end }) => regionOf(text, start, end));
}

function regionOf(text: string, start: number, end: number): SqlRegion {
  return {
    sql: start === 0 && end === text.length ? text : text.slice(start, end),
    map: PositionMap.identity(end - start, start),
    origin: 'sql-file',
    explicit: true,
    interpolations: 0,
  };
}
