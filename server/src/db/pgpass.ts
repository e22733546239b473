/**
 * The password file libpq reads (`~/.pgpass`, or PGPASSFILE): lines of
 * `hostname:port:database:username:password`, `*` matching anything, `\:` and `\\` escaping.
 */
export interface PgpassKey {
  host: string;
  port: number;
  database: string;
  user: string;
}

export function lookupPgpass(text: string, key: PgpassKey): string | undefined {
  // libpq treats a socket directory host as "localhost" for matching.
  const host = key.host.startsWith('/') ? 'localhost' : key.host;
  const wanted = [host, String(key.port), key.database, key.user];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    if (wanted.every((value, i) => fields[i] === '*' || fields[i] === value)) return fields.slice(4).join(':');
  }
  return undefined;
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) current += line[++i];
    else if (ch === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}
