import { beforeAll, describe, expect, it } from 'vitest';
import { byteToUtf16, codePointsToUtf16, loadParser, parseSql } from '../server/src/sql/parse';

beforeAll(() => loadParser());

/** Lone surrogates (which an editor can hold) are one code point and three UTF-8 bytes each; a pair is one and four. */
describe('offsets in text with surrogates', () => {
  const text = 'S\ud800E\udbffL ECT 😀 broken;';

  it('counts a lone surrogate as a code point of its own, and a pair as one', () => {
    // S, \ud800, E, \udbff, L, ' ', E, C, T, ' ', 😀 → 😀 is the 11th code point, at UTF-16 offset 10.
    expect(codePointsToUtf16(text, 10)).toBe(10);
    expect(codePointsToUtf16(text, 11)).toBe(12);
  });

  it('maps UTF-8 byte offsets without landing inside a pair', () => {
    const bytes = Buffer.from(text, 'utf8'); // lone surrogates become U+FFFD, three bytes each
    const toUtf16 = byteToUtf16(text);
    const emoji = bytes.indexOf(Buffer.from('😀', 'utf8'));
    expect(toUtf16(emoji)).toBe(text.indexOf('😀'));
    expect(toUtf16(emoji + 4)).toBe(text.indexOf('😀') + 2);
  });

  it('puts a syntax error on whole characters', () => {
    const parsed = parseSql(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const code = text.charCodeAt(parsed.offset);
    expect(code >= 0xdc00 && code <= 0xdfff && text.charCodeAt(parsed.offset - 1) >= 0xd800).toBe(false);
  });
});

describe('the sql-syntax span', () => {
  it('never splits a surrogate pair, whichever side of the error it lands on (fuzz seed 204452535)', async () => {
    const { sqlSyntax } = await import('../server/src/sql/rules/sql-syntax');
    for (const sql of ['SELECT broken 😀', 'SELECT broken 😀  ', 'SELEC 😀 x', '😀']) {
      for (let offset = 0; offset <= sql.length; offset++) {
        const { start, end } = sqlSyntax.checkParseError({ ok: false, message: 'syntax error', offset }, { sql } as never);
        for (const edge of [start, end]) {
          const splits = edge > 0 && edge < sql.length && sql.charCodeAt(edge) >= 0xdc00 && sql.charCodeAt(edge) <= 0xdfff && sql.charCodeAt(edge - 1) >= 0xd800 && sql.charCodeAt(edge - 1) <= 0xdbff;
          expect(splits, `${JSON.stringify(sql)} at ${offset}: ${start}-${end}`).toBe(false);
        }
      }
    }
  });
});
