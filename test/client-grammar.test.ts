import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeServerInstalled, SETUP_HINT, vscodeDir } from './e2e/code-server-install';

/**
 * The SQL injection grammar (syntaxes/sql-injection.json), tokenized the way VS Code does it: with
 * vscode-textmate and vscode-oniguruma and VS Code's own TypeScript, JavaScript and SQL grammars,
 * all taken from the code-server the editor tests install.
 */
const root = resolve(__dirname, '..');
const grammarPath = join(root, 'syntaxes', 'sql-injection.json');
const grammar = JSON.parse(readFileSync(grammarPath, 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
  patterns: { include: string }[];
  repository: Record<string, unknown>;
};
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo: string[]; embeddedLanguages: Record<string, string> }[] };
};
const HOSTS = ['source.ts', 'source.tsx', 'source.js', 'source.js.jsx'];

describe('sql-injection.json structure', () => {
  it('is contributed as an injection into TS/JS with the SQL block mapped to the sql language', () => {
    const contribution = manifest.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
    expect(contribution).toMatchObject({ path: './syntaxes/sql-injection.json', embeddedLanguages: { 'meta.embedded.block.sql': 'sql' } });
    expect(contribution?.injectTo.sort()).toEqual([...HOSTS].sort());
    for (const host of HOSTS) expect(grammar.injectionSelector).toContain(`L:${host} -comment -string`);
  });

  it('includes only rules that exist here or in the grammars VS Code ships', () => {
    const includes: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'include' && typeof value === 'string') includes.push(value);
        else walk(value);
      }
    };
    walk(grammar);
    expect(includes.length).toBeGreaterThan(5);
    for (const include of includes) {
      if (include.startsWith('#')) expect(grammar.repository, include).toHaveProperty(include.slice(1));
      else expect(['source.sql', 'source.ts#expression', 'source.ts#type-arguments'], include).toContain(include);
    }
  });
});

// --- tokenizing with the real engine -----------------------------------------------------------------

interface Token {
  text: string;
  scopes: string[];
}
type Tokenize = (host: string, source: string) => Token[][];

const vscode = vscodeDir();
const available = codeServerInstalled();
if (!available) {
  const message = `SKIPPED grammar tokenization tests: code-server ${vscode} is not installed; ${SETUP_HINT}.`;
  if (process.env.CI === 'true') throw new Error(`${message} CI must install it.`);
  console.warn(`\n*** ${message} ***\n`);
}

describe.skipIf(!available)('SQL highlighting inside TypeScript and JavaScript (vscode-textmate)', () => {
  let tokenize: Tokenize;

  beforeAll(async () => {
    tokenize = await loadTokenizer();
  });

  /** The scopes of the first token whose text is `text` (trimmed), searching all lines. */
  const scopesOf = (lines: Token[][], text: string): string[] => {
    const token = lines.flat().find((t) => t.text.trim() === text);
    if (!token) throw new Error(`no token "${text}" in ${JSON.stringify(lines.flat().map((t) => t.text))}`);
    return token.scopes;
  };
  const isSql = (scopes: string[]) => scopes.includes('meta.embedded.block.sql');

  it.each(HOSTS)('highlights sql`…` as SQL in %s and keeps ${…} TypeScript', (host) => {
    const lines = tokenize(host, 'const rows = await sql`SELECT id FROM users WHERE id = ${userId}`;\nconst after = 1;');
    expect(scopesOf(lines, 'SELECT')).toEqual(expect.arrayContaining(['meta.embedded.block.sql', 'keyword.other.DML.sql']));
    expect(scopesOf(lines, 'FROM')).toContain('keyword.other.DML.sql');
    expect(scopesOf(lines, 'sql')).toContain('entity.name.function.tagged-template.ts');
    const substitution = scopesOf(lines, 'userId');
    expect(substitution).toContain('meta.template.expression.ts');
    expect(substitution.some((s) => s.startsWith('variable.other.readwrite'))).toBe(true);
    // Inside the SQL block, but no SQL rule touches it.
    expect(substitution.filter((s) => s.endsWith('.sql'))).toEqual(['meta.embedded.block.sql']);
    const closing = lines[0]!.filter((t) => t.text === '`').at(-1)!;
    expect(closing.scopes).toContain('punctuation.definition.string.template.end.ts');
    expect(isSql(closing.scopes)).toBe(false);
    expect(isSql(scopesOf(lines, 'after'))).toBe(false);
  });

  it.each([
    ['SQL`…`', 'SQL`DELETE FROM sessions WHERE expires_at < now()`', 'DELETE'],
    ['Prisma.sql`…`', 'Prisma.sql`SELECT id FROM users`', 'SELECT'],
    ['db.sql`…`', 'db.sql`UPDATE users SET name = ${name}`', 'UPDATE'],
    ['sql<Row>`…`', 'sql<{ id: number }>`SELECT id FROM users`', 'SELECT'],
    ['sql.unsafe`…`', 'sql.unsafe`SELECT id FROM users`', 'SELECT'],
    ['prisma.$queryRaw`…`', 'prisma.$queryRaw`SELECT id FROM users`', 'SELECT'],
    ['/* sql */ `…`', 'const q = /* sql */ `SELECT id FROM users`;', 'SELECT'],
    ['/*SQL*/`…`', 'run(/*SQL*/`INSERT INTO logs (line) VALUES ($1)`);', 'INSERT INTO'],
  ])('highlights %s', (_name, source, keyword) => {
    const lines = tokenize('source.ts', source);
    expect(scopesOf(lines, keyword)).toEqual(expect.arrayContaining(['meta.embedded.block.sql']));
    expect(scopesOf(lines, keyword).some((s) => s.startsWith('keyword.other.') && s.endsWith('.sql'))).toBe(true);
  });

  it('marks /* sql */ as a comment', () => {
    expect(scopesOf(tokenize('source.ts', 'const q = /* sql */ `SELECT 1`;'), 'sql')).toContain('comment.block.ts');
  });

  it.each([
    ['an html tag', 'html`<p>SELECT</p>`'],
    ['a tag that only ends in sql', 'mysql`SELECT id FROM users`'],
    ['a member named sqlText', 'this.sqlText`SELECT id FROM users`'],
    ['an untagged template', 'const q = `SELECT id FROM users`;'],
    ['a line comment', '// sql`SELECT id FROM users`'],
    ['a block comment', '/* example: sql`SELECT id FROM users` */'],
    ['a string', "const s = 'sql`SELECT id FROM users`';"],
  ])('leaves %s alone', (_name, source) => {
    expect(tokenize('source.ts', source).flat().some((t) => isSql(t.scopes))).toBe(false);
  });

  it("keeps ${…} TypeScript inside a SQL string: LIKE '%${term}%'", () => {
    const lines = tokenize('source.ts', "sql`SELECT id FROM products WHERE name ILIKE '%${term}%'`;");
    const term = scopesOf(lines, 'term');
    expect(term).toEqual(expect.arrayContaining(['string.quoted.single.sql', 'meta.template.expression.ts']));
    expect(term.some((s) => s.startsWith('variable.other.readwrite'))).toBe(true);
  });

  it('ends the SQL at the closing backtick even after an unbalanced quote or a -- comment', () => {
    for (const body of ["SELECT 'oops", 'SELECT 1 -- trailing comment']) {
      const lines = tokenize('source.ts', `const q = sql\`${body}\`; const after = 1;`);
      expect(isSql(scopesOf(lines, 'after')), body).toBe(false);
      expect(scopesOf(lines, 'const').some((s) => s.startsWith('storage.type'))).toBe(true);
    }
  });

  it('follows a template over several lines and returns to TypeScript after it', () => {
    const source = [
      'export function byEmail(email: string) {',
      '  return sql`',
      '    SELECT id, email',
      '      FROM users',
      '     WHERE email = ${email.toLowerCase()}',
      '  `;',
      '}',
      'export const next = 2;',
    ].join('\n');
    const lines = tokenize('source.ts', source);
    expect(scopesOf(lines, 'FROM')).toContain('meta.embedded.block.sql');
    expect(scopesOf(lines, 'toLowerCase').some((s) => s.includes('function-call') || s.startsWith('entity.name.function'))).toBe(true);
    expect(isSql(scopesOf(lines, 'next'))).toBe(false);
    expect(lines[7]!.some((t) => isSql(t.scopes))).toBe(false);
  });

  it('highlights a nested sql tag inside ${…}', () => {
    const lines = tokenize('source.ts', 'sql`SELECT id FROM users ${active ? sql`WHERE is_active` : sql``}`');
    expect(scopesOf(lines, 'WHERE')).toEqual(expect.arrayContaining(['meta.template.expression.ts', 'meta.embedded.block.sql']));
  });
});

/** The part of vscode-textmate and vscode-oniguruma used here (they are not dependencies of the root). */
interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown };
}
interface TextMate {
  INITIAL: unknown;
  parseRawGrammar(content: string, path: string): unknown;
  Registry: new (options: {
    onigLib: Promise<{ createOnigScanner(patterns: string[]): unknown; createOnigString(text: string): unknown }>;
    loadGrammar(scopeName: string): Promise<unknown>;
    getInjections(scopeName: string): string[] | undefined;
  }) => { loadGrammar(scopeName: string): Promise<Grammar | null> };
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}

async function loadTokenizer(): Promise<Tokenize> {
  // vscode-textmate and vscode-oniguruma from the root when installed there, else from code-server.
  const requireFrom = createRequire(existsSync(join(root, 'node_modules', 'vscode-textmate')) ? join(root, 'package.json') : join(vscode, 'package.json'));
  const textmate = requireFrom('vscode-textmate') as TextMate;
  const oniguruma = requireFrom('vscode-oniguruma') as Oniguruma;
  const wasm = readFileSync(join(requireFrom.resolve('vscode-oniguruma'), '..', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));

  const extensions = join(vscode, 'extensions');
  const files: Record<string, string> = {
    'source.ts': join(extensions, 'typescript-basics', 'syntaxes', 'TypeScript.tmLanguage.json'),
    'source.tsx': join(extensions, 'typescript-basics', 'syntaxes', 'TypeScriptReact.tmLanguage.json'),
    'source.js': join(extensions, 'javascript', 'syntaxes', 'JavaScript.tmLanguage.json'),
    'source.js.jsx': join(extensions, 'javascript', 'syntaxes', 'JavaScriptReact.tmLanguage.json'),
    'source.sql': join(extensions, 'sql', 'syntaxes', 'sql.tmLanguage.json'),
    [grammar.scopeName]: grammarPath,
  };
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = files[scopeName];
      return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    // As package.json's injectTo tells VS Code.
    getInjections: (scopeName: string) => (HOSTS.includes(scopeName) ? [grammar.scopeName] : undefined),
  });
  const grammars = new Map<string, Grammar>();
  for (const host of HOSTS) {
    const loaded = await registry.loadGrammar(host);
    if (!loaded) throw new Error(`cannot load the ${host} grammar from ${files[host]}`);
    grammars.set(host, loaded);
  }
  return (host, source) => {
    const hostGrammar = grammars.get(host)!;
    let state = textmate.INITIAL;
    return source.split('\n').map((line) => {
      const result = hostGrammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
    });
  };
}
