import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

/**
 * Inputs for the language-server fuzz test (fuzz.test.ts): a seeded PRNG, so that any failure can be
 * replayed, and generators of documents an editor may really send — random bytes decoded as text, lone
 * surrogates, mutated real files, deeply nested SQL and TypeScript, huge documents, odd line endings —
 * plus positions, ranges and settings that are wrong in every way JSON allows.
 *
 *   PGLENS_FUZZ_SEED=123456 npx vitest run test/reliability/fuzz.test.ts   replays one run
 *   PGLENS_FUZZ_CASES=5000  npx vitest run test/reliability/fuzz.test.ts   scales the run (default below)
 */

/** Document cases of the run without a database when PGLENS_FUZZ_CASES is not set. */
export const DEFAULT_CASES = 1_500;

/** The seed of this run: PGLENS_FUZZ_SEED, or a fresh one (printed by the test so it can be replayed). */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.PGLENS_FUZZ_SEED?.trim();
  if (given) {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`PGLENS_FUZZ_SEED must be a non-negative whole number (got ${JSON.stringify(given)})`);
    return seed >>> 0;
  }
  return (Date.now() ^ (process.pid << 16) ^ Math.floor(Math.random() * 0x1_0000_0000)) >>> 0;
}

/** How many document cases to run: PGLENS_FUZZ_CASES, else `fallback`. */
export function fuzzCases(fallback = DEFAULT_CASES, env: NodeJS.ProcessEnv = process.env): number {
  const given = env.PGLENS_FUZZ_CASES?.trim();
  if (!given) return fallback;
  const cases = Number(given);
  if (!Number.isSafeInteger(cases) || cases < 1) throw new Error(`PGLENS_FUZZ_CASES must be a positive whole number (got ${JSON.stringify(given)})`);
  return cases;
}

/** sfc32: small, fast, good enough for fuzzing, and the same sequence on every platform for a seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  float(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** Picks by weight: `[[3, a], [1, b]]` gives a three times as often as b. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.float() * total;
    for (const [weight, value] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][1];
  }

  /** A child generator, so one part of a case can draw more or less without shifting the others. */
  fork(): Rng {
    return new Rng(this.uint32());
  }
}

// ---------------------------------------------------------------------------------------------------
// The corpus: real files of the repository, mutated.

export interface CorpusFile {
  /** Path relative to the repository root. */
  path: string;
  kind: 'sql' | 'script' | 'other';
  text: string;
}

const CORPUS_FOLDERS = ['examples/shop', 'test/fixtures', 'test/corpus'];
const SCRIPT_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const MAX_CORPUS_FILE_BYTES = 200_000;

/** The .sql and script files (and a few others) of examples/shop, test/fixtures and test/corpus. */
export function loadCorpus(root: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size <= MAX_CORPUS_FILE_BYTES) {
        const extension = extname(entry.name).toLowerCase();
        const kind = extension === '.sql' ? 'sql' : SCRIPT_EXTENSIONS.has(extension) ? 'script' : ['.prisma', '.json', '.md'].includes(extension) ? 'other' : undefined;
        if (!kind) continue;
        const bytes = readFileSync(path);
        // Binary fixtures come in twice: as UTF-8 (replacement characters) and byte for byte (latin1).
        files.push({ path: relative(root, path), kind, text: bytes.toString('utf8') });
        if (bytes.includes(0)) files.push({ path: `${relative(root, path)} (latin1)`, kind, text: bytes.toString('latin1') });
      }
    }
  };
  for (const folder of CORPUS_FOLDERS) walk(join(root, folder));
  if (files.length === 0) throw new Error(`no corpus files under ${CORPUS_FOLDERS.join(', ')}`);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

// ---------------------------------------------------------------------------------------------------
// Documents.

export type DocumentFlavor = 'sql' | 'script' | 'any';

export interface FuzzDocument {
  /** What made it, for the report and for replaying a failure (`mutated examples/shop/src/users.ts ×4`). */
  label: string;
  /** The generator's name, for the counts. */
  generator: string;
  flavor: DocumentFlavor;
  text: string;
  /** Mutations applied (0 for generated documents). */
  mutations: number;
}

/** Tokens that open or close something in SQL or TypeScript, the likeliest to confuse an extractor. */
export const NASTY_TOKENS = [
  "'", '"', '`', '${', '}', '$$', '$tag$', '$1', '/*', '*/', '--', '//', '\\', '\\`', '\\u{', "E'", "U&'", '(', ')', '[', ']', '{',
  ';', ',', '\0', '\r', '\n', '\r\n', '\u2028', '\u2029', '\uFEFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '😀', '\u0301', '\t',
  'sql`', '/* sql */', '-- pglens-ignore select-star', '// pglens-ignore', 'SELECT * FROM ', 'pool.query(', 'await db.query(`',
  ' FROM ', ' WHERE ', ' LIMIT ', 'for (const x of xs) {', '<div>', '</', '#!', '@', '?', '::', ':=', '=>', 'BEGIN', 'COMMIT',
  'CREATE TABLE t (', 'DO $$ BEGIN', 'END $$;', 'COPY t FROM stdin;\n', '\\.\n',
];

const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00'];

/** A random UTF-16 string: any code unit, surrogates unpaired or reversed included. */
export function randomCodeUnits(rng: Rng, length: number): string {
  const units: number[] = [];
  for (let i = 0; i < length; i++) {
    units.push(
      rng.weighted([
        [6, () => rng.int(0x20, 0x7e)],
        [1, () => rng.int(0, 0x1f)],
        [1, () => rng.int(0xd800, 0xdfff)],
        [1, () => rng.int(0x80, 0xffff)],
      ] as const)(),
    );
  }
  let text = '';
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.slice(i, i + 4096));
  return text;
}

/** Random bytes read as a text editor would: UTF-8 (with replacement characters) or latin1. */
export function randomBytesText(rng: Rng, length: number): string {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = rng.uint32() & 0xff;
  return bytes.toString(rng.chance(0.5) ? 'utf8' : 'latin1');
}

/** Inserts `count` lone surrogates (and reversed pairs) into `text`. */
export function sprinkleSurrogates(rng: Rng, text: string, count: number): string {
  let result = text;
  for (let i = 0; i < count; i++) {
    const at = rng.int(0, result.length);
    const piece = rng.chance(0.2) ? '\uDE00\uD83D' : rng.pick(LONE_SURROGATES);
    result = result.slice(0, at) + piece + result.slice(at);
  }
  return result;
}

const MUTATIONS = ['delete', 'duplicate', 'swap', 'insert-slice', 'insert-token', 'replace-char', 'truncate', 'case', 'repeat-token'] as const;

/** Applies `count` random edits to `text`: slices deleted, duplicated, swapped, moved in from `donor`, nasty tokens inserted. */
export function mutate(rng: Rng, text: string, count: number, donor: string): string {
  let result = text;
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(MUTATIONS);
    const length = result.length;
    const at = rng.int(0, length);
    const span = Math.min(length - at, rng.chance(0.8) ? rng.int(0, 40) : rng.int(0, Math.max(0, length)));
    switch (kind) {
      case 'delete':
        result = result.slice(0, at) + result.slice(at + span);
        break;
      case 'duplicate':
        result = result.slice(0, at + span) + result.slice(at, at + span) + result.slice(at + span);
        break;
      case 'swap': {
        const other = rng.int(0, length);
        const otherSpan = Math.min(length - other, rng.int(0, 40));
        const [first, firstSpan, second, secondSpan] = at <= other ? [at, span, other, otherSpan] : [other, otherSpan, at, span];
        if (first + firstSpan > second) break;
        result =
          result.slice(0, first) +
          result.slice(second, second + secondSpan) +
          result.slice(first + firstSpan, second) +
          result.slice(first, first + firstSpan) +
          result.slice(second + secondSpan);
        break;
      }
      case 'insert-slice': {
        const from = rng.int(0, donor.length);
        result = result.slice(0, at) + donor.slice(from, from + rng.int(1, 200)) + result.slice(at);
        break;
      }
      case 'insert-token':
        result = result.slice(0, at) + rng.pick(NASTY_TOKENS) + result.slice(at);
        break;
      case 'replace-char':
        result = result.slice(0, at) + randomCodeUnits(rng, 1) + result.slice(at + 1);
        break;
      case 'truncate':
        result = result.slice(0, at);
        break;
      case 'case':
        result = result.slice(0, at) + (rng.chance(0.5) ? result.slice(at, at + span).toUpperCase() : result.slice(at, at + span).toLowerCase()) + result.slice(at + span);
        break;
      case 'repeat-token':
        result = result.slice(0, at) + rng.pick(NASTY_TOKENS).repeat(rng.int(2, 300)) + result.slice(at);
        break;
    }
  }
  return result;
}

/** Line endings rewritten: all CRLF, all CR, or a mix (with the odd LFCR and NUL). */
export function rewriteLineEndings(rng: Rng, text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  const style = rng.pick(['crlf', 'cr', 'mixed', 'nul'] as const);
  if (style === 'crlf') return lines.join('\r\n');
  if (style === 'cr') return lines.join('\r');
  if (style === 'nul') return lines.join('\0\n');
  return lines.reduce((out, line, i) => (i === 0 ? line : out + rng.pick(['\n', '\r\n', '\r', '\n\r', '\r\r\n', '\u2028']) + line), '');
}

/** Puts NUL bytes into a text: scattered, at the start, or as a run. */
export function insertNuls(rng: Rng, text: string): string {
  const where = rng.pick(['start', 'end', 'scatter', 'run'] as const);
  if (where === 'start') return `\0${text}`;
  if (where === 'end') return `${text}\0`;
  if (where === 'run') {
    const at = rng.int(0, text.length);
    return text.slice(0, at) + '\0'.repeat(rng.int(1, 5000)) + text.slice(at);
  }
  let result = text;
  for (let i = rng.int(1, 20); i > 0; i--) {
    const at = rng.int(0, result.length);
    result = `${result.slice(0, at)}\0${result.slice(at)}`;
  }
  return result;
}

/** SQL nested `depth` levels deep: parentheses, subqueries, CASE, function calls, arrays — balanced or not. */
export function nestedSql(rng: Rng, depth: number): string {
  const shape = rng.pick(['parens', 'subquery', 'case', 'calls', 'array', 'cte', 'unbalanced', 'lateral'] as const);
  switch (shape) {
    case 'parens':
      return `SELECT ${'('.repeat(depth)}1${')'.repeat(depth)} FROM users;`;
    case 'subquery':
      return `SELECT * FROM ${'(SELECT * FROM '.repeat(depth)}users${' t)'.repeat(depth)} t;`;
    case 'case':
      return `SELECT ${'CASE WHEN id > 0 THEN '.repeat(depth)}1${' ELSE 0 END'.repeat(depth)} FROM users;`;
    case 'calls':
      return `SELECT ${'coalesce('.repeat(depth)}email${', NULL)'.repeat(depth)} FROM users WHERE id = $1;`;
    case 'array':
      return `SELECT ${'ARRAY['.repeat(depth)}1${']'.repeat(depth)};`;
    case 'cte':
      return `WITH ${Array.from({ length: depth }, (_, i) => `c${i} AS (SELECT * FROM ${i === 0 ? 'users' : `c${i - 1}`})`).join(',\n')}\nSELECT * FROM c${depth - 1};`;
    case 'lateral':
      return `SELECT * FROM users u${' JOIN LATERAL (SELECT * FROM orders o WHERE o.user_id = u.id'.repeat(depth)}${') x ON true'.repeat(depth)};`;
    case 'unbalanced':
      return `SELECT ${'('.repeat(depth)}1${')'.repeat(rng.int(0, depth - 1))} FROM users WHERE email = 'x${"'".repeat(rng.int(0, 3))};`;
  }
}

/** TypeScript nested `depth` levels deep around queries: arrows, objects, template literals, sql tags, calls, loops. */
export function nestedScript(rng: Rng, depth: number): string {
  const shape = rng.pick(['arrows', 'objects', 'templates', 'sql-tags', 'calls', 'loops', 'arrays', 'unbalanced', 'ifs'] as const);
  const header = "import { Pool } from 'pg';\nconst pool = new Pool();\nconst sql = (s: TemplateStringsArray, ...v: unknown[]) => ({ s, v });\n";
  switch (shape) {
    case 'arrows':
      return `${header}export const f = ${'() => '.repeat(depth)}pool.query('SELECT * FROM users');\n`;
    case 'objects':
      return `${header}export const o = ${'{ a: '.repeat(depth)}pool.query(\`SELECT * FROM users WHERE id = \${1}\`)${' }'.repeat(depth)};\n`;
    case 'templates':
      return `${header}export const t = pool.query(\`SELECT * FROM users WHERE id = ${'${`'.repeat(depth)}1${'`}'.repeat(depth)}\`);\n`;
    case 'sql-tags':
      return `${header}export const q = sql\`SELECT * FROM users WHERE id IN (${'${sql`SELECT id FROM users WHERE id IN ('.repeat(depth)}1${')`})'.repeat(depth)}\`;\n`;
    case 'calls':
      return `${header}export const c = ${'pool.query('.repeat(depth)}'SELECT 1'${')'.repeat(depth)};\n`;
    case 'loops':
      return `${header}export async function l(ids: number[]) {\n${'for (const id of ids) {\n'.repeat(depth)}await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n${'}\n'.repeat(depth)}}\n`;
    case 'arrays':
      return `${header}export const a = ${'['.repeat(depth)}pool.query('SELECT * FROM users')${']'.repeat(depth)};\n`;
    case 'ifs':
      return `${header}export async function i(x: number) {\n${'if (x) {\n'.repeat(depth)}await pool.query(\`SELECT * FROM orders\`);\n${'}\n'.repeat(depth)}}\n`;
    case 'unbalanced':
      return `${header}export const u = ${'() => { return ('.repeat(depth)}pool.query(\`SELECT * FROM users \${\`${'}'.repeat(rng.int(0, depth))}\n`;
  }
}

/** A document over `bytes` long: SQL statements, one huge line, or TS full of queries. */
export function hugeDocument(rng: Rng, bytes: number): { text: string; flavor: DocumentFlavor; label: string } {
  const shape = rng.pick(['statements', 'one-line', 'script', 'string-literal'] as const);
  if (shape === 'statements') {
    const line = 'SELECT id, email FROM users WHERE id = 1 LIMIT 1;\n';
    return { text: line.repeat(Math.ceil(bytes / line.length)), flavor: 'sql', label: `huge statements ${bytes} B` };
  }
  if (shape === 'one-line') {
    return { text: `SELECT ${'1 + '.repeat(Math.ceil(bytes / 4))}1;`, flavor: 'sql', label: `huge one-line ${bytes} B` };
  }
  if (shape === 'string-literal') {
    return { text: `SELECT '${'x'.repeat(bytes)}' FROM users;`, flavor: 'sql', label: `huge string literal ${bytes} B` };
  }
  const block = "export async function q(pool: any, id: number) {\n  return pool.query('SELECT id, email FROM users WHERE id = $1 LIMIT 1', [id]);\n}\n";
  return { text: block.repeat(Math.ceil(bytes / block.length)), flavor: 'script', label: `huge script ${bytes} B` };
}

/** A document of exactly `lines` lines. */
export function manyLines(lines: number, flavor: 'sql' | 'script'): string {
  const line = flavor === 'sql' ? (i: number) => `SELECT id FROM users WHERE id = ${i} LIMIT 1;` : (i: number) => `export const q${i} = () => pool.query('SELECT id FROM users WHERE id = ${i} LIMIT 1');`;
  return Array.from({ length: lines }, (_, i) => line(i)).join('\n');
}

/** Documents with (almost) nothing in them. */
export const EMPTY_DOCUMENTS = ['', ' ', '\n', '\r\n', '\r', '\0', '\uFEFF', ';', ';;;;', '\t\t\n  \n', '--', '/*', '``', '$$', '\uD800', '\uDC00\uD800'];

export interface GeneratorOptions {
  corpus: readonly CorpusFile[];
  /**
   * Extra weight on SQL over the shop tables (the run with a database, so plans are fuzzed too), and
   * SQL nested at most 300 deep: PostgreSQL plans 600 nested CTEs for over a minute without checking
   * its statement_timeout, and goes on after pglens stopped waiting (3,000 would take hours).
   */
  plans?: boolean;
  /** Allow the documents of several megabytes (a handful per run). */
  huge?: boolean;
}

/** One random document. */
export function randomDocument(rng: Rng, options: GeneratorOptions): FuzzDocument {
  const { corpus } = options;
  const sqlFiles = corpus.filter((file) => file.kind === 'sql');
  const donor = () => rng.pick(corpus).text;
  const generator = rng.weighted<string>([
    [options.plans ? 12 : 30, 'mutated'],
    [options.plans ? 10 : 0, 'mutated-sql'],
    [options.plans ? 30 : 0, 'lightly-mutated-queries'],
    [6, 'corpus-line-endings'],
    [5, 'random-code-units'],
    [5, 'random-bytes'],
    [4, 'surrogates'],
    [4, 'nested-sql'],
    [4, 'nested-script'],
    [3, 'nul'],
    [3, 'empty'],
    [4, 'token-soup'],
    [options.huge ? 0.25 : 0, 'huge'],
    [options.huge ? 0.1 : 0, 'many-lines'],
  ]);
  switch (generator) {
    case 'mutated':
    case 'mutated-sql': {
      const file = generator === 'mutated-sql' ? rng.pick(sqlFiles) : rng.pick(corpus);
      const count = rng.weighted([
        [4, rng.int(1, 3)],
        [2, rng.int(4, 12)],
        [1, rng.int(13, 60)],
      ]);
      const text = mutate(rng, file.text, count, donor());
      return { label: `mutated ${file.path} ×${count}`, generator, flavor: flavorOf(file), text, mutations: count };
    }
    case 'lightly-mutated-queries': {
      // Queries that mostly still parse and name real tables: the ones a plan can be had for.
      const queries = corpus.filter((file) => file.kind === 'sql' && /queries/.test(file.path));
      const file = rng.pick(queries.length ? queries : sqlFiles);
      const count = rng.int(0, 2);
      return { label: `lightly mutated ${file.path} ×${count}`, generator, flavor: 'sql', text: mutate(rng, file.text, count, donor()), mutations: count };
    }
    case 'corpus-line-endings': {
      const file = rng.pick(corpus);
      return { label: `${file.path} with rewritten line endings`, generator, flavor: flavorOf(file), text: rewriteLineEndings(rng, file.text), mutations: 1 };
    }
    case 'random-code-units': {
      const length = rng.weighted([
        [5, rng.int(0, 200)],
        [2, rng.int(200, 5_000)],
        [1, rng.int(5_000, 60_000)],
      ]);
      return { label: `${length} random UTF-16 code units`, generator, flavor: 'any', text: randomCodeUnits(rng, length), mutations: 0 };
    }
    case 'random-bytes': {
      const length = rng.weighted([
        [5, rng.int(0, 300)],
        [1, rng.int(300, 50_000)],
      ]);
      return { label: `${length} random bytes`, generator, flavor: 'any', text: randomBytesText(rng, length), mutations: 0 };
    }
    case 'surrogates': {
      const file = rng.pick(corpus);
      const count = rng.int(1, 30);
      return { label: `${file.path} with ${count} lone surrogates`, generator, flavor: flavorOf(file), text: sprinkleSurrogates(rng, file.text, count), mutations: count };
    }
    case 'nested-sql': {
      const depth = rng.weighted([
        [3, rng.int(1_000, 3_000)],
        [1, rng.int(3_000, 20_000)],
        [1, rng.int(2, 999)],
      ]);
      const nesting = options.plans ? Math.min(depth, 300) : depth;
      return { label: `SQL nested ${nesting} deep`, generator, flavor: 'sql', text: nestedSql(rng, nesting), mutations: 0 };
    }
    case 'nested-script': {
      const depth = rng.weighted([
        [3, rng.int(1_000, 3_000)],
        [1, rng.int(3_000, 10_000)],
        [1, rng.int(2, 999)],
      ]);
      return { label: `script nested ${depth} deep`, generator, flavor: 'script', text: nestedScript(rng, depth), mutations: 0 };
    }
    case 'nul': {
      const file = rng.pick(corpus);
      return { label: `${file.path} with NUL bytes`, generator, flavor: flavorOf(file), text: insertNuls(rng, file.text), mutations: 1 };
    }
    case 'empty':
      return { label: 'empty', generator, flavor: 'any', text: rng.pick(EMPTY_DOCUMENTS), mutations: 0 };
    case 'token-soup': {
      const count = rng.int(1, 400);
      const text = Array.from({ length: count }, () => rng.pick(NASTY_TOKENS)).join(rng.pick(['', ' ', '\n']));
      return { label: `${count} nasty tokens`, generator, flavor: 'any', text, mutations: 0 };
    }
    case 'huge': {
      // Over the default pglens.maxFileBytes (4 MiB): skipped with a notice; just under it: analysed.
      const bytes = rng.pick([5 * 1024 * 1024, 1024 * 1024]);
      const huge = hugeDocument(rng, bytes);
      return { label: huge.label, generator, flavor: huge.flavor, text: huge.text, mutations: 0 };
    }
    case 'many-lines': {
      const flavor = rng.pick(['sql', 'script'] as const);
      return { label: `50,000-line ${flavor}`, generator, flavor, text: manyLines(50_000, flavor), mutations: 0 };
    }
  }
  throw new Error(`unknown generator ${generator}`);
}

function flavorOf(file: CorpusFile): DocumentFlavor {
  return file.kind === 'other' ? 'any' : file.kind;
}

// ---------------------------------------------------------------------------------------------------
// Where documents live, and positions in them.

const SQL_NAMES = ['.sql', '.SQL', '.pgsql'];
const SCRIPT_NAMES = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.d.ts'];
const OTHER_NAMES = ['.txt', '.prisma', '.json', '', '.sql.bak', '.ts.orig', '.md'];
const LANGUAGE_IDS = ['sql', 'postgres', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'plaintext', 'json', '', 'made-up-language'];

/** A document URI and language id for a document: mostly right for its flavor, sometimes not at all. */
export function documentLocation(rng: Rng, folderUri: string, flavor: DocumentFlavor, serial: number): { uri: string; languageId: string } {
  const extension =
    flavor === 'sql' && rng.chance(0.85) ? rng.pick(SQL_NAMES) : flavor === 'script' && rng.chance(0.85) ? rng.pick(SCRIPT_NAMES) : rng.pick([...SQL_NAMES, ...SCRIPT_NAMES, ...OTHER_NAMES]);
  const languageId =
    rng.chance(0.7) && (extension.toLowerCase().endsWith('sql') || SCRIPT_NAMES.includes(extension))
      ? extension.toLowerCase().endsWith('sql')
        ? 'sql'
        : extension.includes('js')
          ? 'javascript'
          : 'typescript'
      : rng.pick(LANGUAGE_IDS);
  const name = rng.weighted<string>([
    [10, `fuzz-${serial}${extension}`],
    [1, `sub%20dir/with space-${serial}${extension}`],
    [1, `%C3%BCml%C3%A4ut-${serial}${extension}`],
    [1, `deep/${'d/'.repeat(rng.int(1, 40))}f-${serial}${extension}`],
    [1, `migrations/9${serial}_fuzz${extension}`],
  ]);
  const uri = rng.weighted<string>([
    [12, `${folderUri}/${name}`],
    [2, `untitled:Untitled-${serial}`],
    [1, `git:/fuzz/${name}?%7B%22ref%22%3A%22HEAD%22%7D`],
    [1, `vscode-notebook-cell:/fuzz/nb-${serial}.ipynb#W${serial}sZmlsZQ%3D%3D`],
    [1, `file:///nonexistent/../${name}`],
    [0.5, `file://server/share/${name}`],
    [0.5, `not a uri ${serial}`],
    [0.3, `file:///%E0%A4%A-${serial}${extension}`],
    [0.3, `fuzz:${'x'.repeat(rng.int(0, 3000))}-${serial}`],
  ]);
  return { uri, languageId };
}

export interface Position {
  line: number;
  character: number;
}

const HUGE_NUMBERS = [2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 1e300, -1, -(2 ** 31), -0];

/**
 * A position in (or around) `text`: mostly valid, often at the edges, sometimes negative, huge, between
 * the halves of a surrogate pair, fractional, or not a position at all.
 */
export function randomPosition(rng: Rng, text: string, lineStarts: readonly number[]): unknown {
  const kind = rng.weighted<string>([
    [10, 'valid'],
    [2, 'line-end'],
    [2, 'mid-surrogate'],
    [1, 'past-end'],
    [1, 'negative'],
    [1, 'huge'],
    [0.5, 'fraction'],
    [0.5, 'malformed'],
  ]);
  const line = rng.int(0, lineStarts.length - 1);
  const lineLength = (lineStarts[line + 1] ?? text.length + 1) - lineStarts[line];
  switch (kind) {
    case 'valid':
      return { line, character: rng.int(0, Math.max(0, lineLength)) };
    case 'line-end':
      return { line, character: Math.max(0, lineLength - 1) };
    case 'mid-surrogate': {
      const offset = midSurrogateOffset(rng, text);
      if (offset === undefined) return { line, character: rng.int(0, lineLength) };
      const at = lineOf(lineStarts, offset);
      return { line: at, character: offset - lineStarts[at] };
    }
    case 'past-end':
      return rng.chance(0.5) ? { line: lineStarts.length + rng.int(0, 10), character: 0 } : { line, character: lineLength + rng.int(1, 1000) };
    case 'negative':
      return rng.pick([{ line: -1, character: 0 }, { line: 0, character: -1 }, { line: -1, character: -1 }, { line, character: -rng.int(1, 1000) }]);
    case 'huge':
      return { line: rng.chance(0.5) ? rng.pick(HUGE_NUMBERS) : line, character: rng.pick(HUGE_NUMBERS) };
    case 'fraction':
      return { line: line + 0.5, character: rng.float() * lineLength };
    default:
      return rng.pick([null, {}, { line: '0', character: '0' }, { line: 0 }, { character: 0 }, [0, 0], 'start', 0, { line: null, character: null }, { line: true, character: false }]);
  }
}

/** A range made of two random positions (in either order, either valid or not). */
export function randomRange(rng: Rng, text: string, lineStarts: readonly number[]): unknown {
  if (rng.chance(0.05)) return rng.pick([null, {}, { start: { line: 0, character: 0 } }, 'range', [0, 0, 1, 1]]);
  const a = randomPosition(rng, text, lineStarts);
  const b = rng.chance(0.3) ? a : randomPosition(rng, text, lineStarts);
  return { start: a, end: b };
}

function midSurrogateOffset(rng: Rng, text: string): number | undefined {
  const candidates: number[] = [];
  for (let i = 0; i + 1 < text.length && candidates.length < 64; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) candidates.push(i + 1);
  }
  return candidates.length ? rng.pick(candidates) : undefined;
}

/** Offsets where lines start (after \n, \r\n or a lone \r, as LSP counts them). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (code === 10 || code === 13) starts.push(i + 1);
  }
  return starts;
}

function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

// ---------------------------------------------------------------------------------------------------
// JSON values of the wrong shape.

/** Any JSON value, nested up to `depth`: what a confused client (or settings file) might send. */
export function randomJson(rng: Rng, depth = 3): unknown {
  const kind = rng.weighted<string>([
    [3, 'string'],
    [3, 'number'],
    [1, 'boolean'],
    [1, 'null'],
    [depth > 0 ? 2 : 0, 'array'],
    [depth > 0 ? 2 : 0, 'object'],
  ]);
  switch (kind) {
    case 'string':
      return rng.pick(['', ' ', 'x', 'true', '100', '-1', 'off', 'error', 'loud', 'postgresql://:1', '\uD800', 'a'.repeat(rng.int(0, 2000)), '{"a":1}', 'file:///etc/passwd', randomCodeUnits(rng, rng.int(0, 20))]);
    case 'number':
      return rng.pick([0, -0, 1, -1, 0.5, -5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e300, -1e300, Number.MIN_VALUE, 4.2, 3]);
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = rng.int(0, 4); i > 0; i--) object[rng.pick(['a', 'uri', 'line', 'character', 'text', 'version', '__proto__', 'constructor', 'toString', 'pglens', ''])] = randomJson(rng, depth - 1);
      return object;
    }
  }
}

const SETTING_KEYS = ['rules', 'missingLimit', 'maxFileBytes', 'debounceMs', 'seqScan', 'explain', 'database', 'queryInLoop', 'advisor', 'databaseUrl', 'noSuchSetting'] as const;
const RULE_CODES = ['select-star', 'missing-limit', 'sql-syntax', 'seq-scan', 'query-in-loop', 'index-suggestion', 'no-such-rule', '', '__proto__', 'SELECT-STAR'];

/**
 * A `pglens` settings object with wrong values in random places. It never turns on anything that would
 * reach beyond the machine (no database URL with a host name) or build the embedded sandbox.
 */
export function randomSettings(rng: Rng): unknown {
  if (rng.chance(0.1)) return rng.pick([null, 'pglens', 42, [], [{ rules: {} }], true]);
  const settings: Record<string, unknown> = { database: { embedded: false } };
  for (let i = rng.int(1, 5); i > 0; i--) {
    const key = rng.pick(SETTING_KEYS);
    switch (key) {
      case 'rules': {
        const rules: Record<string, unknown> = {};
        for (let j = rng.int(0, 4); j > 0; j--) rules[rng.pick(RULE_CODES)] = rng.chance(0.5) ? rng.pick(['off', 'error', 'warning', 'information', 'hint', 'fatal', 'Error', 'on']) : randomJson(rng, 1);
        settings.rules = rng.chance(0.9) ? rules : randomJson(rng, 1);
        break;
      }
      case 'database':
        // Valid `embedded: false` only: a bad value would fall back to the default (true) and build a sandbox.
        settings.database = { embedded: false, maxConnections: randomJson(rng, 1) };
        break;
      case 'databaseUrl':
        settings.databaseUrl = rng.pick([42, true, [], {}, ['postgresql://x'], null]);
        break;
      case 'debounceMs':
        // Wrong types, or a short debounce: a valid minute-long one would only make the run wait.
        settings.debounceMs = rng.chance(0.3) ? rng.int(0, 20) : rng.pick(['fast', -5, 1.5, null, [], {}, 1e300, '100']);
        break;
      default:
        settings[key] = rng.chance(0.5) ? randomJson(rng, 2) : { [rng.pick(['limit', 'minRows', 'statementTimeoutMs', 'analyzeWrites', 'extraMethods', 'minCostReduction', 'x'])]: randomJson(rng, 1) };
    }
  }
  return settings;
}
