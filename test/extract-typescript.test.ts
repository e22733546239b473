import { describe, expect, it } from 'vitest';
import { extractScriptRegions, type ScriptSqlRegion } from '../server/src/extract/typescript';

/** The document text an SQL span maps back to. */
function docText(text: string, region: ScriptSqlRegion, sqlStart: number, sqlEnd: number): string {
  const { start, end } = region.map.toDocumentRange(sqlStart, sqlEnd);
  return text.slice(start, end);
}

/** The document text the `occurrence`-th appearance of `word` in the region's SQL maps back to. */
function mapped(text: string, region: ScriptSqlRegion, word: string, occurrence = 0): string {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = region.sql.indexOf(word, at + 1);
  if (at < 0) throw new Error(`"${word}" is not in ${JSON.stringify(region.sql)}`);
  return docText(text, region, at, at + word.length);
}

function only(file: string, text: string): ScriptSqlRegion {
  const regions = extractScriptRegions(file, text);
  expect(regions).toHaveLength(1);
  return regions[0];
}

describe('query calls', () => {
  it('extracts a string literal passed to pool.query, mapped character for character', () => {
    const text = 'const rows = await pool.query("SELECT id FROM users WHERE id = $1", [id]);\n';
    const region = only('a.ts', text);
    expect(region).toMatchObject({
      sql: 'SELECT id FROM users WHERE id = $1',
      origin: 'query-call',
      explicit: true,
      callee: 'pool.query',
      interpolations: 0,
    });
    expect(mapped(text, region, 'users')).toBe('users');
    expect(text.slice(region.map.documentSpan.start, region.map.documentSpan.end)).toBe(region.sql);
    expect(text.slice(region.callSpan!.start, region.callSpan!.end)).toBe('pool.query("SELECT id FROM users WHERE id = $1", [id])');
  });

  it('recognises every query method name, and writes the callee as the code does', () => {
    const methods = [
      'query', 'execute', 'raw', '$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe', 'unsafe',
      'many', 'one', 'maybeOne', 'any', 'none', 'oneOrNone', 'manyOrNone', 'prepare',
    ];
    const text = methods.map((method) => `db.${method}('SELECT 1 FROM t');`).join('\n');
    const regions = extractScriptRegions('a.js', text);
    expect(regions.map((r) => r.callee)).toEqual(methods.map((method) => `db.${method}`));
    expect(regions.every((r) => r.sql === 'SELECT 1 FROM t' && r.origin === 'query-call' && r.explicit)).toBe(true);
  });

  it('writes a multi-line callee without its line breaks', () => {
    const region = only('a.ts', 'await this.db\n  .pool\n  .query(`SELECT 1`);');
    expect(region.callee).toBe('this.db.pool.query');
  });

  it('marks a generic call explicit only when its literal opens like a statement', () => {
    const text = [
      'dialog.execute("Select a plan * from the list");',
      'db.query("select * from users");',
      'db.any("WITH t AS (SELECT 1) SELECT * FROM t");',
      'db.one("delete this item?");',
      'db.none("DELETE FROM sessions WHERE expired");',
      'prisma.$queryRawUnsafe("whatever this is");',
    ].join('\n');
    expect(extractScriptRegions('a.ts', text).map((r) => r.explicit)).toEqual([false, true, true, false, true, true]);
  });

  it('never extracts a label passed to a function that is not a query call', () => {
    const text = 'showMessage("Select a plan * from the list");\nconst label = "SELECT * FROM users";\nconsole.log(label);';
    expect(extractScriptRegions('a.ts', text)).toEqual([]);
  });

  it('skips query-builder fragments such as whereRaw and selectRaw', () => {
    const text = "knex('users').whereRaw('id = ?', [1]).selectRaw('count(*)').orderByRaw('name DESC');";
    expect(extractScriptRegions('a.ts', text)).toEqual([]);
  });

  it('turns knex ? and ?? bindings of .raw into placeholders, and \\\\? into a literal ?', () => {
    const text = "knex.raw('select * from users where id = ? and data \\\\? ?', [1, 'k']);";
    const region = only('a.ts', text);
    expect(region.sql).toBe("select * from users where id = $1 and data ? $2");
    expect(region.callee).toBe('knex.raw');
    expect(region.explicit).toBe(true);
    expect(mapped(text, region, '$2')).toBe('?');
    expect(mapped(text, region, 'data ?')).toBe('data \\\\?');
    const identifiers = only('a.ts', "db.raw('select * from ?? where id = ?', ['users', 1])");
    expect(identifiers.sql).toBe('select * from $1 where id = $2');
    expect(identifiers.explicit).toBe(false); // a table spliced in: the statement as written says nothing
  });

  it('turns pg-promise named bindings into numbered placeholders, one per name', () => {
    const text = 'db.oneOrNone("SELECT * FROM users WHERE id = ${id} OR parent = $<id> AND name = $(name)", { id, name });';
    const region = only('a.ts', text);
    expect(region.sql).toBe('SELECT * FROM users WHERE id = $1 OR parent = $1 AND name = $2');
    expect(region.interpolationSites.map((s) => text.slice(s.docStart, s.docEnd))).toEqual(['${id}', '$<id>', '$(name)']);
    expect(only('a.ts', 'db.many("SELECT $1:name FROM t WHERE a = $2", [c, a])').sql).toBe('SELECT $1 FROM t WHERE a = $2');
  });

  it('turns ? and :name replacements where an operand goes into placeholders, leaving jsonb ? and ::casts', () => {
    const text = "sequelize.query('SELECT * FROM users WHERE id = :id AND org IN (:orgs) AND born::date > ? AND tags ?| :tags', opts);";
    const region = only('a.ts', text);
    expect(region.sql).toBe('SELECT * FROM users WHERE id = $1 AND org IN ($2) AND born::date > $3 AND tags ?| $4');
    expect(region.interpolationSites.map((s) => text.slice(s.docStart, s.docEnd))).toEqual([':id', ':orgs', '?', ':tags']);
    expect(region.explicit).toBe(true);
    const jsonb = only('a.ts', "pool.query(\"SELECT data ? 'k', (data->'a') ? 'b', '10:30 ?' FROM t WHERE x = $1\", [x])");
    expect(jsonb.sql).toBe("SELECT data ? 'k', (data->'a') ? 'b', '10:30 ?' FROM t WHERE x = $1");
    expect(jsonb.interpolations).toBe(0);
  });

  it('reads the text of a node-postgres query config object', () => {
    const region = only('a.ts', 'await client.query({ text: "SELECT now()", values: [] });');
    expect(region).toMatchObject({ sql: 'SELECT now()', origin: 'query-call', callee: 'client.query' });
  });

  it('joins a + concatenation, mapping each literal onto its own characters', () => {
    const text = 'db.query("SELECT id " +\n  "FROM users WHERE org = " + orgId + " LIMIT " + 10);';
    const region = only('a.ts', text);
    expect(region.sql).toBe('SELECT id FROM users WHERE org = $1 LIMIT 10');
    expect(mapped(text, region, 'FROM users')).toBe('FROM users');
    expect(mapped(text, region, '$1')).toBe('orgId');
    expect(mapped(text, region, '10')).toBe('10');
    expect(region.interpolationSites).toEqual([expect.objectContaining({ placeholder: '$1', raw: true })]);
  });
});

describe('tagged templates', () => {
  it.each([
    ['sql', 'sql`SELECT 1`'],
    ['SQL', 'SQL`SELECT 1`'],
    ['Prisma.sql', 'Prisma.sql`SELECT 1`'],
    ['db.sql', 'db.sql`SELECT 1`'],
    ['sql.unsafe', 'sql.unsafe`SELECT 1`'],
    ['$queryRaw', '$queryRaw`SELECT 1`'],
    ['prisma.$queryRaw', 'prisma.$queryRaw`SELECT 1`'],
    ['tx.$executeRaw', 'tx.$executeRaw`SELECT 1`'],
    ['prisma.$queryRaw', 'prisma.$queryRaw<User[]>`SELECT 1`'],
    ['sql.type(User)', 'sql.type(User)`SELECT 1`'],
  ])('extracts %s`…`', (callee, code) => {
    const region = only('a.ts', `const r = await ${code};`);
    expect(region).toMatchObject({ sql: 'SELECT 1', origin: 'tagged-template', explicit: true, callee });
  });

  it('binds interpolations as $1, $2 in order and maps words after them exactly, across lines', () => {
    const text = 'const rows = await sql`\n  SELECT id, name\n  FROM users\n  WHERE org = ${ orgId }\n    AND created_at > ${since} ORDER BY name\n`;\n';
    const region = only('a.ts', text);
    expect(region.sql).toBe('\n  SELECT id, name\n  FROM users\n  WHERE org = $1\n    AND created_at > $2 ORDER BY name\n');
    expect(region.interpolations).toBe(2);
    expect(mapped(text, region, 'ORDER')).toBe('ORDER');
    expect(mapped(text, region, 'AND created_at')).toBe('AND created_at');
    expect(mapped(text, region, '$1')).toBe('${ orgId }');
    expect(mapped(text, region, '$2')).toBe('${since}');
    // A range from before an interpolation to after it covers the interpolation in the document.
    const from = region.sql.indexOf('org');
    expect(docText(text, region, from, region.sql.indexOf('$1') + 2)).toBe('org = ${ orgId }');
    expect(region.interpolationSites.map((s) => s.raw)).toEqual([false, false]);
    expect(region.explicit).toBe(true);
  });

  it('splices sql.unsafe and $queryRawUnsafe interpolations as raw text, still as placeholders', () => {
    const call = only('a.ts', 'sql.unsafe(`SELECT * FROM t WHERE id = ${id}`)');
    expect(call).toMatchObject({ sql: 'SELECT * FROM t WHERE id = $1', callee: 'sql.unsafe', origin: 'query-call', explicit: true });
    expect(call.interpolationSites[0].raw).toBe(true);
    const prisma = only('a.ts', 'prisma.$queryRawUnsafe(`SELECT * FROM t WHERE id = ${id} AND a = $1`, a)');
    expect(prisma.sql).toBe('SELECT * FROM t WHERE id = $2 AND a = $1'); // numbered past the $1 already written
    expect(prisma.interpolationSites[0]).toMatchObject({ placeholder: '$2', raw: true });
  });

  it('inlines a nested sql fragment, numbering its interpolations with the outer ones', () => {
    const text = 'sql`SELECT * FROM users WHERE org = ${org} ${sql`AND name = ${name}`} LIMIT ${n}`';
    const region = only('a.ts', text);
    expect(region.sql).toBe('SELECT * FROM users WHERE org = $1 AND name = $2 LIMIT $3');
    expect(mapped(text, region, 'AND name')).toBe('AND name');
    expect(mapped(text, region, '$2')).toBe('${name}');
    expect(region.explicit).toBe(true);
  });

  it('leaves a fragment tag and a conditional fragment non-explicit, so they never report syntax errors', () => {
    const text = 'const f = sql`AND archived = false`;\nsql`SELECT * FROM t ${cond ? sql`WHERE a = 1` : sql``}`;\nsql.fragment`AND x = 1`;';
    const regions = extractScriptRegions('a.ts', text);
    expect(regions.map((r) => [r.sql, r.explicit])).toEqual([
      ['AND archived = false', false],
      ['SELECT * FROM t $1', false],
      ['WHERE a = 1', false],
    ]);
  });

  it('takes a misspelt first keyword in a tag as a statement, so the typo is reported', () => {
    expect(only('a.ts', 'sql`SELEC * FROM t`').explicit).toBe(true);
    expect(only('a.ts', 'sql`name = ${x}`').explicit).toBe(false);
  });

  it('makes a region with interpolated identifiers non-explicit: FROM ${table} says nothing about the SQL', () => {
    const region = only('a.ts', 'pool.query(`SELECT * FROM ${table} WHERE id = $1`, [id])');
    expect(region.sql).toBe('SELECT * FROM $2 WHERE id = $1');
    expect(region.explicit).toBe(false);
    expect(only('a.ts', "pool.query(`SELECT * FROM t WHERE name LIKE '%${term}%'`)").explicit).toBe(true);
  });
});

describe('marked literals and consts', () => {
  it('extracts a literal marked /* sql */', () => {
    const text = 'const q = /* sql */ `SELECT id FROM users WHERE id = ${id}`;';
    const region = only('a.ts', text);
    expect(region).toMatchObject({ sql: 'SELECT id FROM users WHERE id = $1', origin: 'sql-comment', explicit: true });
    expect(region.callee).toBeUndefined();
    expect(mapped(text, region, 'users')).toBe('users');
    expect(only('a.ts', 'run(/*SQL*/ "selec 1")').explicit).toBe(true);
  });

  it('extracts a const passed by name to a query call, declared before or after the call', () => {
    const text = [
      'const GET_USER = "SELECT * FROM users WHERE id = $1";',
      'export async function load(id: number) {',
      '  await pool.query(GET_USER, [id]);',
      '  await pool.query(LIST, []);',
      '}',
      'const LIST = `SELECT id FROM users ORDER BY id`;',
      'const UNUSED = "SELECT 2";',
    ].join('\n');
    const regions = extractScriptRegions('a.ts', text);
    expect(regions.map((r) => [r.sql, r.origin, r.callee, r.explicit])).toEqual([
      ['SELECT * FROM users WHERE id = $1', 'sql-const', 'pool.query', true],
      ['SELECT id FROM users ORDER BY id', 'sql-const', 'pool.query', true],
    ]);
    expect(mapped(text, regions[1], 'ORDER')).toBe('ORDER');
    expect(text.slice(regions[0].callSpan!.start, regions[0].callSpan!.end)).toBe('pool.query(GET_USER, [id])');
  });

  it('does not take a let, or a const passed to something else, for SQL', () => {
    const text = 'let q = "SELECT 1"; db.query(q);\nconst label = "Select a plan"; show(label);';
    expect(extractScriptRegions('a.ts', text)).toEqual([]);
  });
});

describe('escapes and the position map', () => {
  it('cooks escapes into the SQL and maps each onto its raw span', () => {
    const text = 'db.query("SELECT \\"name\\"\\nFROM caf\\u00e9s WHERE x = \'\\x41\' -- \\u{1F418}\\\nAND y");';
    const region = only('a.ts', text);
    expect(region.sql).toBe('SELECT "name"\nFROM cafés WHERE x = \'A\' -- 🐘AND y');
    expect(mapped(text, region, '"name"')).toBe('\\"name\\"');
    expect(mapped(text, region, '\n')).toBe('\\n');
    expect(mapped(text, region, 'FROM')).toBe('FROM');
    expect(mapped(text, region, 'é')).toBe('\\u00e9');
    expect(mapped(text, region, 'cafés')).toBe('caf\\u00e9s');
    expect(mapped(text, region, 'A')).toBe('\\x41');
    expect(mapped(text, region, '🐘')).toBe('\\u{1F418}');
    expect(mapped(text, region, 'AND y')).toBe('AND y'); // after a line continuation
  });

  it('cooks template line breaks: \\r\\n reads as \\n and maps onto both characters', () => {
    const text = 'sql`SELECT 1\r\nFROM t\\`x\\` WHERE a = \\${b}`';
    const region = only('a.ts', text);
    expect(region.sql).toBe('SELECT 1\nFROM t`x` WHERE a = ${b}');
    expect(mapped(text, region, '\n')).toBe('\r\n');
    expect(mapped(text, region, 'FROM')).toBe('FROM');
    expect(mapped(text, region, '${b}')).toBe('\\${b}');
  });

  it('counts positions in UTF-16 after non-ASCII text', () => {
    const text = "// 🐘 élan\nconst r = sql`SELECT '🐘' AS e, ${x} AS y FROM t`;";
    const region = only('a.ts', text);
    expect(mapped(text, region, 'FROM')).toBe('FROM');
    expect(mapped(text, region, '$1')).toBe('${x}');
  });

  it('escapes quick-fix text for the literal it goes into', () => {
    const [double, single, template] = extractScriptRegions(
      'a.ts',
      'db.query("SELECT 1"); db.query(\'SELECT 2\'); db.query(`SELECT 3`);',
    );
    expect(double.escapeForHost!('a "b" \\ \n')).toBe('a \\"b\\" \\\\ \\n');
    expect(single.escapeForHost!("it's \"ok\"")).toBe("it\\'s \"ok\"");
    expect(template.escapeForHost!('`x` ${y} \\ \n')).toBe('\\`x\\` \\${y} \\\\ \n');
  });
});

describe('file kinds', () => {
  it('reads JSX in .tsx and .jsx, and every script extension', () => {
    const jsx = 'export function List() { const rows = db.query("SELECT id FROM items"); return <ul>{rows.map((r) => <li key={r.id}>Select a plan</li>)}</ul>; }';
    for (const file of ['a.tsx', 'a.jsx', 'a.js']) expect(extractScriptRegions(file, jsx).map((r) => r.sql)).toEqual(['SELECT id FROM items']);
    const plain = 'const x = <T,>(a: T) => a; db.query("SELECT 1");';
    for (const file of ['a.ts', 'a.mts', 'a.cts', 'a.mjs', 'a.cjs']) expect(extractScriptRegions(file, plain)).toHaveLength(1);
  });
});
