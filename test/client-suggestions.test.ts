import { describe, expect, it } from 'vitest';
import { suggestionsSql } from '../client/src/commands/suggestions-sql';

describe('index suggestions as a SQL document', () => {
  it('lists each CREATE INDEX with its cost change and size, ready to copy into a migration', () => {
    const text = suggestionsSql(
      [
        { ddl: 'CREATE INDEX ON orders (user_id)', table: 'orders', kind: 'single', costBefore: 18334.5, costAfter: 8.44, sizeBytes: 2_310_144 },
        { ddl: 'CREATE INDEX ON products (category, name);', table: 'products', kind: 'composite', costBefore: 45.1, costAfter: 12.3, sizeBytes: 900 },
      ],
      'shop@localhost',
    );
    expect(text).toBe(
      [
        '-- pglens: 2 index suggestions verified on shop@localhost.',
        '-- Each one lowered the planner cost of the queries that use it; copy the ones you want into a migration.',
        '',
        '-- orders (single): cost 18,335 → 8.44 (2172× lower), about 2.2 MB',
        'CREATE INDEX ON orders (user_id);',
        '',
        '-- products (composite): cost 45.10 → 12.30 (3.7× lower), about 900 B',
        'CREATE INDEX ON products (category, name);',
        '',
      ].join('\n'),
    );
  });
});
