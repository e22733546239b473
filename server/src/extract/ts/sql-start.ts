/**
 * How sure we are that a literal is a whole SQL statement, judged from its first words. A generic call
 * such as `dialog.execute("Select a plan * from the list")` must not be taken for SQL, so generic calls
 * need a keyword written in one case (`SELECT`, `select`, not `Select`) and a plausible next word.
 */

/** What must follow the first keyword of a statement, per keyword. */
const STATEMENT_SHAPES: Readonly<Record<string, RegExp>> = {
  select: /^(\s|\*|\(|$)/,
  with: /^\s+(recursive\s+)?("[^"]+"|[a-z_][\w$]*)\s*(\([^)]*\)\s*)?as\b/i,
  insert: /^\s+into\b/i,
  update: /^\s+(only\s+)?[\w$."]+[\s\S]*?\bset\b/i,
  delete: /^\s+from\b/i,
  merge: /^\s+into\b/i,
  values: /^\s*\(/,
  table: /^\s+[\w$."]+\s*(;|$)/,
  explain: /^\s*(\(|analy[sz]e\b|verbose\b|select\b|with\b|insert\b|update\b|delete\b|merge\b|values\b|table\b|execute\b|create\b|declare\b)/i,
  create: /^\s+(or\s+replace\s+|unique\s+|temp\s+|temporary\s+|unlogged\s+|materialized\s+|recursive\s+)*(table|index|view|function|procedure|trigger|schema|sequence|type|extension|domain|role|user|database|policy|aggregate|rule|publication|subscription|statistics|collation|operator|cast|server|event|foreign|language|tablespace|conversion|access|text|transform)\b/i,
  alter: /^\s+(table|index|view|materialized|function|procedure|trigger|schema|sequence|type|extension|domain|role|user|database|policy|aggregate|default|system|publication|subscription|statistics|collation|operator|server|foreign|tablespace|large)\b/i,
  drop: /^\s+(table|index|view|materialized|function|procedure|trigger|schema|sequence|type|extension|domain|role|user|database|policy|aggregate|rule|owned|publication|subscription|statistics|collation|operator|cast|server|foreign|tablespace|event)\b/i,
  truncate: /^\s+(table\s+)?(only\s+)?[\w$."]+\s*(,|;|restart|continue|cascade|restrict|$)/i,
  grant: /^\s+[\w, ]+\bon\b|^\s+[\w$"]+\s+to\b/i,
  revoke: /^\s+[\w, ]+\bon\b|^\s+[\w$"]+\s+from\b/i,
  copy: /^\s+[\w$."(]+[\s\S]*\b(from|to)\b/i,
  vacuum: /^\s*(\(|full\b|analy[sz]e\b|verbose\b|[\w$."]+\s*(;|$)|;|$)/i,
  analyze: /^\s*(\(|verbose\b|[\w$."]+\s*(;|$)|;|$)/i,
  refresh: /^\s+materialized\s+view\b/i,
  reindex: /^\s+(\(|index|table|schema|database|system)\b/i,
  call: /^\s+[\w$."]+\s*\(/,
  lock: /^\s+(table\s+)?[\w$."]+/i,
  comment: /^\s+on\b/i,
  begin: /^\s*(;|$|transaction\b|work\b|isolation\b|read\b)/i,
  start: /^\s+transaction\b/i,
  commit: /^\s*(;|$|transaction\b|work\b|and\b|prepared\b)/i,
  rollback: /^\s*(;|$|transaction\b|work\b|to\b|and\b|prepared\b)/i,
  savepoint: /^\s+[\w$"]+\s*(;|$)/,
  release: /^\s+(savepoint\s+)?[\w$"]+\s*(;|$)/i,
  set: /^\s+(local\s+|session\s+)?[\w$."]+\s*(=|to\b)/i,
  show: /^\s+[\w$."]+\s*(;|$)/,
  listen: /^\s+[\w$"]+\s*(;|$)/,
  notify: /^\s+[\w$"]+\s*(,|;|$)/,
  prepare: /^\s+[\w$"]+\s*(\([^)]*\)\s*)?as\b/i,
  execute: /^\s+[\w$"]+\s*(\(|;|$)/,
  deallocate: /^\s+(prepare\s+)?[\w$"]+\s*(;|$)/i,
  declare: /^\s+[\w$"]+\s+[\s\S]*\bcursor\b/i,
  fetch: /^\s+[\s\S]*\b(from|in)\b/i,
  do: /^\s+(language\s+\w+\s+)?\$/i,
};

/** Statement keywords that usually open a full statement inside an sql tag (SET opens fragments too). */
const TAG_STATEMENT_KEYWORDS = new Set(Object.keys(STATEMENT_SHAPES).filter((keyword) => keyword !== 'set'));

/** Keywords whose misspelling at the start of a tag is still taken as a statement, so `SELEC` is reported. */
const TYPO_TARGETS = ['select', 'insert', 'update', 'delete', 'create', 'explain', 'truncate'];

/** For generic query methods: a statement keyword in one case, followed by what that statement needs. */
export function looksLikeStatement(sql: string): boolean {
  const start = leadingWord(sql);
  if (!start) return false;
  const { word, rest } = start;
  if (word !== word.toUpperCase() && word !== word.toLowerCase()) return false;
  const shape = STATEMENT_SHAPES[word.toLowerCase()];
  return shape !== undefined && shape.test(rest);
}

/** For sql tags, which also hold fragments (`sql\`AND x = 1\``): opens with a statement keyword, or one typo from one. */
export function opensStatement(sql: string): boolean {
  const start = leadingWord(sql);
  if (!start) return false;
  const word = start.word.toLowerCase();
  return TAG_STATEMENT_KEYWORDS.has(word) || TYPO_TARGETS.some((keyword) => isTypoOf(word, keyword));
}

/** The first word after white space, comments and opening parentheses, and the text after it. */
function leadingWord(sql: string): { word: string; rest: string } | undefined {
  let i = 0;
  for (;;) {
    while (i < sql.length && (/\s/.test(sql[i]) || sql[i] === '(')) i++;
    if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else break;
  }
  const match = /^[A-Za-z_]+/.exec(sql.slice(i, i + 40));
  if (!match) return undefined;
  return { word: match[0], rest: sql.slice(i + match[0].length) };
}

/** One wrong letter, two swapped neighbours, or one letter missing. */
function isTypoOf(word: string, keyword: string): boolean {
  if (word.length === keyword.length) {
    const differing: number[] = [];
    for (let i = 0; i < word.length && differing.length <= 2; i++) if (word[i] !== keyword[i]) differing.push(i);
    if (differing.length === 1) return true;
    const [a, b] = differing;
    return differing.length === 2 && b === a + 1 && word[a] === keyword[b] && word[b] === keyword[a];
  }
  if (word.length !== keyword.length - 1) return false;
  for (let skip = 0; skip < keyword.length; skip++) {
    if (keyword.slice(0, skip) + keyword.slice(skip + 1) === word) return true;
  }
  return false;
}
