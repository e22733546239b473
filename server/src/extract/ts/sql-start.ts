/**
 * How sure we are that a literal is a whole SQL statement, judged from its first words. A generic call
 * such as `dialog.execute("Select a plan * from the list")` must not be taken for SQL, so generic calls
 * need a keyword written in one case (`SELECT`, `select`, not `Select`) and a plausible next word.
 */

/** What must follow the first keyword of a statement, per keyword (sticky: matched right after it). */
const STATEMENT_SHAPES: Readonly<Record<string, RegExp>> = {
  select: /(\s|\*|\(|$)/y,
  with: /\s+(recursive\s+)?("[^"]+"|[a-z_][\w$]*)\s*(\([^)]*\)\s*)?as\b/iy,
  insert: /\s+into\b/iy,
  update: /\s+(only\s+)?[\w$."]+[\s\S]*?\bset\b/iy,
  delete: /\s+from\b/iy,
  merge: /\s+into\b/iy,
  values: /\s*\(/y,
  table: /\s+[\w$."]+\s*(;|$)/y,
  explain: /\s*(\(|analy[sz]e\b|verbose\b|select\b|with\b|insert\b|update\b|delete\b|merge\b|values\b|table\b|execute\b|create\b|declare\b)/iy,
  create: /\s+(or\s+replace\s+|unique\s+|temp\s+|temporary\s+|unlogged\s+|materialized\s+|recursive\s+)*(table|index|view|function|procedure|trigger|schema|sequence|type|extension|domain|role|user|database|policy|aggregate|rule|publication|subscription|statistics|collation|operator|cast|server|event|foreign|language|tablespace|conversion|access|text|transform)\b/iy,
  alter: /\s+(table|index|view|materialized|function|procedure|trigger|schema|sequence|type|extension|domain|role|user|database|policy|aggregate|default|system|publication|subscription|statistics|collation|operator|server|foreign|tablespace|large)\b/iy,
  drop: /\s+(table|index|view|materialized|function|procedure|trigger|schema|sequence|type|extension|domain|role|user|database|policy|aggregate|rule|owned|publication|subscription|statistics|collation|operator|cast|server|foreign|tablespace|event)\b/iy,
  truncate: /\s+(table\s+)?(only\s+)?[\w$."]+\s*(,|;|restart|continue|cascade|restrict|$)/iy,
  grant: /\s+[\w, ]+\bon\b|\s+[\w$"]+\s+to\b/iy,
  revoke: /\s+[\w, ]+\bon\b|\s+[\w$"]+\s+from\b/iy,
  copy: /\s+[\w$."(]+[\s\S]*\b(from|to)\b/iy,
  vacuum: /\s*(\(|full\b|analy[sz]e\b|verbose\b|[\w$."]+\s*(;|$)|;|$)/iy,
  analyze: /\s*(\(|verbose\b|[\w$."]+\s*(;|$)|;|$)/iy,
  refresh: /\s+materialized\s+view\b/iy,
  reindex: /\s+(\(|index|table|schema|database|system)\b/iy,
  call: /\s+[\w$."]+\s*\(/y,
  lock: /\s+(table\s+)?[\w$."]+/iy,
  comment: /\s+on\b/iy,
  begin: /\s*(;|$|transaction\b|work\b|isolation\b|read\b)/iy,
  start: /\s+transaction\b/iy,
  commit: /\s*(;|$|transaction\b|work\b|and\b|prepared\b)/iy,
  rollback: /\s*(;|$|transaction\b|work\b|to\b|and\b|prepared\b)/iy,
  savepoint: /\s+[\w$"]+\s*(;|$)/y,
  release: /\s+(savepoint\s+)?[\w$"]+\s*(;|$)/iy,
  set: /\s+(local\s+|session\s+)?[\w$."]+\s*(=|to\b)/iy,
  show: /\s+[\w$."]+\s*(;|$)/y,
  listen: /\s+[\w$"]+\s*(;|$)/y,
  notify: /\s+[\w$"]+\s*(,|;|$)/y,
  prepare: /\s+[\w$"]+\s*(\([^)]*\)\s*)?as\b/iy,
  execute: /\s+[\w$"]+\s*(\(|;|$)/y,
  deallocate: /\s+(prepare\s+)?[\w$"]+\s*(;|$)/iy,
  declare: /\s+[\w$"]+\s+[\s\S]*\bcursor\b/iy,
  fetch: /\s+[\s\S]*\b(from|in)\b/iy,
  do: /\s+(language\s+\w+\s+)?\$/iy,
};

/** Statement keywords that usually open a full statement inside an sql tag (SET opens fragments too). */
const TAG_STATEMENT_KEYWORDS = new Set(Object.keys(STATEMENT_SHAPES).filter((keyword) => keyword !== 'set'));

/** Keywords whose misspelling at the start of a tag is still taken as a statement, so `SELEC` is reported. */
const TYPO_TARGETS = ['select', 'insert', 'update', 'delete', 'create', 'explain', 'truncate'];

/** For generic query methods: a statement keyword in one case, followed by what that statement needs. */
export function looksLikeStatement(sql: string): boolean {
  const start = leadingWord(sql);
  if (!start) return false;
  const { word, end } = start;
  if (word !== word.toUpperCase() && word !== word.toLowerCase()) return false;
  const shape = STATEMENT_SHAPES[word.toLowerCase()];
  if (shape === undefined) return false;
  shape.lastIndex = end;
  return shape.test(sql);
}

/** For sql tags, which also hold fragments (`sql\`AND x = 1\``): opens with a statement keyword, or one typo from one. */
export function opensStatement(sql: string): boolean {
  const start = leadingWord(sql);
  if (!start) return false;
  const word = start.word.toLowerCase();
  return TAG_STATEMENT_KEYWORDS.has(word) || TYPO_TARGETS.some((keyword) => isTypoOf(word, keyword));
}

/** The first word after white space, comments and opening parentheses, and where it ends. */
function leadingWord(sql: string): { word: string; end: number } | undefined {
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
  WORD.lastIndex = i;
  const match = WORD.exec(sql);
  if (!match) return undefined;
  return { word: match[0], end: i + match[0].length };
}

const WORD = /[A-Za-z_]{1,20}/y;

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
