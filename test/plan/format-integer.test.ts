import { describe, expect, it } from 'vitest';
import { formatInteger } from '../../server/src/text/integer';

describe('formatInteger', () => {
  it('writes what toLocaleString("en-US") writes for rounded numbers of every size and sign', () => {
    const values = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 999_999, 1_000_000, 123_456_789, 2 ** 53 - 1, 1e21, 0.5, 1234.5, -1, -1000, -1234.6];
    let seed = 7;
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      values.push((seed / 2 ** 31 - 0.3) * 10 ** (i % 16));
    }
    for (const value of values) expect(formatInteger(value), String(value)).toBe(Math.round(value).toLocaleString('en-US').replace(/^-0$/, '0'));
  });

  it('leaves numbers that are not finite as JavaScript writes them', () => {
    expect(formatInteger(Number.NaN)).toBe('NaN');
    expect(formatInteger(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});
