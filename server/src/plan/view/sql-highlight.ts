import { escText } from './html';

/**
 * Light SQL colouring for the query and DDL blocks: keywords, strings, numbers, comments and `$n`
 * parameters. A display aid only — a lexer good enough to colour, not to parse.
 */
const TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\$\d+)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_$]*)/g;

const KEYWORDS = new Set(
  `select from where and or not in is null join left right inner outer full cross on using group by order having
  limit offset as distinct union all intersect except with recursive materialized insert into values update set
  delete returning create index unique concurrently include table if exists case when then else end between like
  ilike asc desc nulls first last lateral over partition window filter explain analyze any some true false
  primary key references default conflict do nothing merge matched`.split(/\s+/),
);

export function highlightSql(sql: string): string {
  let out = '';
  let last = 0;
  for (const match of sql.matchAll(TOKEN)) {
    const start = match.index ?? 0;
    out += escText(sql.slice(last, start));
    const [text, comment, string, quoted, param, number, word] = match;
    if (comment) out += `<span class="tok-comment">${escText(text)}</span>`;
    else if (string) out += `<span class="tok-string">${escText(text)}</span>`;
    else if (quoted) out += escText(text);
    else if (param) out += `<span class="tok-param">${escText(text)}</span>`;
    else if (number) out += `<span class="tok-number">${escText(text)}</span>`;
    else if (word && KEYWORDS.has(word.toLowerCase())) out += `<span class="tok-keyword">${escText(text)}</span>`;
    else out += escText(text);
    last = start + text.length;
  }
  return out + escText(sql.slice(last));
}
