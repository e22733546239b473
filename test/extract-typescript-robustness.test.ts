import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractScriptRegions } from '../server/src/extract/typescript';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** A realistic module: a repository class with `count` query methods in the forms pglens reads. */
function generatedModule(count: number): string {
  const lines = ['import { Pool } from "pg";', 'import sql from "./db";', 'const pool = new Pool();', 'export class Repository {'];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0:
        lines.push(`  async byId${i}(id: number) {`, `    const { rows } = await pool.query("SELECT id, name FROM table_${i} WHERE id = $1", [id]);`, '    return rows[0] ?? null;', '  }');
        break;
      case 1:
        lines.push(`  async list${i}(org: string, limit = 10) {`, '    return sql`', `      SELECT * FROM table_${i}`, '      WHERE org = ${org}', '      LIMIT ${limit}', '    `;', '  }');
        break;
      case 2:
        lines.push(`  async update${i}(id: number, name: string) {`, `    const values = [name, id].map((v) => String(v));`, `    await pool.query(\`UPDATE table_${i} SET name = $1 WHERE id = $2\`, values);`, '  }');
        break;
      default:
        lines.push(`  label${i}(): string {`, `    return i18n.translate("Select item ${i} from the list", { count: ${i} });`, '  }');
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/** Three of every four generated methods hold SQL; the fourth returns a UI label. */
function sqlMethods(count: number): number {
  return count - Math.floor((count + 1) / 4);
}

/** CPU milliseconds of `work`: steadier than wall time on a shared machine. */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('robustness', () => {
  it('reads SQL out of code with syntax errors', () => {
    // Mid-edit code: a half-written expression, an unclosed call, a broken declaration after the queries.
    const text = 'async function f(id) {\n  const x = ;\n  const a = await db.query("SELECT 1 FROM a", [id];\n  const y = a.\n  return sql`SELECT 2 FROM b`\n}\nfunction g( {\n';
    expect(extractScriptRegions('broken.ts', text).map((r) => r.sql)).toEqual(['SELECT 1 FROM a', 'SELECT 2 FROM b']);
  });

  it('maps unterminated literals up to the end of what was written', () => {
    const template = 'await sql`SELECT id FROM users WHERE';
    const [region] = extractScriptRegions('a.ts', template);
    expect(region.sql).toBe('SELECT id FROM users WHERE');
    expect(template.slice(region.map.documentSpan.start, region.map.documentSpan.end)).toBe(region.sql);
    const quoted = 'db.query("SELECT id FROM users\nconst x = 1;';
    expect(extractScriptRegions('a.ts', quoted).map((r) => r.sql)).toEqual(['SELECT id FROM users']);
  });

  it('never throws on binary junk', () => {
    const next = random(42);
    for (let round = 0; round < 20; round++) {
      let junk = '';
      for (let i = 0; i < 4000; i++) junk += String.fromCharCode(Math.floor(next() * 256));
      junk += 'db.query("SELECT 1"); sql`SELECT ${';
      expect(() => extractScriptRegions('junk.ts', junk)).not.toThrow();
    }
    expect(() => extractScriptRegions('junk.ts', '\uD800sql`\uDFFF\\u{110000}\\x4\\u12`; db.query("\\')).not.toThrow();
  });

  it('survives deeply nested code, and still finds SQL at a depth real code reaches', () => {
    // Far deeper than real code nests; the walk recurses, and 400 levels sometimes hit the stack limit of
    // a test worker (then the extractor returns what it has, as the absurd case below shows).
    const depth = 150;
    const nested = 'f(() => {'.repeat(depth) + 'db.query("SELECT 1 FROM deep");' + '})'.repeat(depth);
    expect(extractScriptRegions('deep.ts', nested).map((r) => r.sql)).toEqual(['SELECT 1 FROM deep']);
    const absurd = '('.repeat(100_000) + 'db.query("SELECT 1")' + ')'.repeat(100_000);
    expect(Array.isArray(extractScriptRegions('absurd.ts', absurd))).toBe(true);
  });

  it('reads a 50,000-line file in one pass', () => {
    const methods = 11_200;
    const text = generatedModule(methods);
    expect(text.split('\n').length).toBeGreaterThan(50_000);
    const started = performance.now();
    const regions = extractScriptRegions('big.ts', text);
    const elapsed = performance.now() - started;
    expect(regions).toHaveLength(sqlMethods(methods)); // labels are never read
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe('speed', () => {
  it('costs little beyond parsing the file: 5,000 lines with about 1,000 SQL strings', () => {
    const methods = 1_120;
    const text = generatedModule(methods);
    const parse = () => ts.createSourceFile('gen.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    let regions = 0;
    const extract = () => {
      regions = extractScriptRegions('gen.ts', text).length;
    };
    // Interleaved, best of several, after a warm-up: both sides see the same machine load.
    let parseMs = Infinity;
    let extractMs = Infinity;
    for (let run = 0; run < 12; run++) {
      parseMs = Math.min(parseMs, cpuMs(parse));
      extractMs = Math.min(extractMs, cpuMs(extract));
    }
    console.log(`5,000-line file, ${regions} regions: parse ${parseMs.toFixed(1)} ms, parse + extract ${extractMs.toFixed(1)} ms`);
    expect(text.split('\n').length).toBeGreaterThan(5_000);
    expect(regions).toBe(sqlMethods(methods));
    expect(regions).toBeGreaterThan(800);
    // Parse, walk, assembly and position maps together: well under twice the parse alone (about 1.5×
    // measured); the bound leaves room for a busy machine.
    expect(extractMs).toBeLessThan(parseMs * 2.5 + 5);
  });
});
