import { describe, expect, it } from 'vitest';
import { databaseUrlProblem, describeDatabaseUrl } from '../client/src/database-url';

describe('Connect to Database… URL validation', () => {
  it.each([
    'postgres://app:secret@localhost:5432/shop',
    'postgresql://localhost/shop',
    'POSTGRES://db.internal/shop?sslmode=require',
    'postgres://app:p%40ss@localhost/shop',
    'postgres:///shop?host=/var/run/postgresql',
    '  postgres://localhost/shop  ',
  ])('accepts %s', (url) => {
    expect(databaseUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ['', /Enter a URL/],
    ['mysql://localhost/shop', /postgres:\/\/ or postgresql:\/\//],
    ['localhost:5432/shop', /postgres:\/\/ or postgresql:\/\//],
    ['postgres://', /no host/],
    ['postgres:///shop', /no host/],
    ['postgres://localhost:99999/shop', /not a valid URL|not a valid port/],
    ['postgres://app:p@ss:word@[bad/shop', /not a valid URL/],
  ])('rejects %j with a message that says what to do', (url, message) => {
    expect(databaseUrlProblem(url)).toMatch(message);
  });
});

describe('describing a database URL', () => {
  it('never shows the password', () => {
    const text = describeDatabaseUrl('postgres://app:hunter2@db.internal:6543/shop?sslmode=require');
    expect(text).toBe('app@db.internal:6543/shop');
    expect(text).not.toContain('hunter2');
  });

  it('names a socket host and decodes names', () => {
    expect(describeDatabaseUrl('postgres:///my%20db?host=/run/postgresql')).toBe('/run/postgresql/my db');
    expect(describeDatabaseUrl('postgres://us%40er@localhost/my%20db')).toBe('us@er@localhost/my db');
  });
});
