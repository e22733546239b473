import { describe, expect, it } from 'vitest';
import { isDownMigration, orderMigrationFiles, upMigrationText } from '../server/src/schema/migration-order';

describe('migration order', () => {
  it('orders numbered, timestamped and Prisma migrations as their tools apply them', () => {
    expect(
      orderMigrationFiles([
        'db/migrations/10_c.sql',
        'db/migrations/2_b.sql',
        'db/migrations/001_a.sql',
        'prisma/migrations/20240110120000_two/migration.sql',
        'prisma/migrations/20231231235959_one/migration.sql',
        'flyway/V1_10__later.sql',
        'flyway/V1_9__earlier.sql',
      ]),
    ).toEqual([
      'db/migrations/001_a.sql',
      'db/migrations/2_b.sql',
      'db/migrations/10_c.sql',
      'flyway/V1_9__earlier.sql',
      'flyway/V1_10__later.sql',
      'prisma/migrations/20231231235959_one/migration.sql',
      'prisma/migrations/20240110120000_two/migration.sql',
    ]);
  });

  it('compares numbers longer than a double holds exactly', () => {
    expect(orderMigrationFiles(['m/202401011200000000002_b.sql', 'm/202401011200000000001_a.sql'])).toEqual([
      'm/202401011200000000001_a.sql',
      'm/202401011200000000002_b.sql',
    ]);
  });

  it('recognises down and undo migrations', () => {
    expect(['x/down.sql', 'x/1_a.down.sql', 'x/1_a_down.sql', 'x\\U2__undo.sql'].map(isDownMigration)).toEqual([true, true, true, true]);
    expect(['x/up.sql', 'x/1_a.up.sql', 'x/countdown.sql', 'x/V2__users.sql'].map(isDownMigration)).toEqual([false, false, false, false]);
  });

  it('blanks down sections, keeping line numbers', () => {
    const text = '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n';
    expect(upMigrationText(text)).toBe('-- migrate:up\nCREATE TABLE a (id int);\n\n\n');
    expect(upMigrationText('CREATE TABLE a (id int);')).toBe('CREATE TABLE a (id int);');
  });
});
