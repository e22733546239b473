import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../server/src/rules';

/** Every rule code users can meet has a docs page, the README lists it, and no page is orphaned. */
const ROOT = resolve(__dirname, '..');
const DOCS = join(ROOT, 'docs', 'rules');

describe('rule documentation', () => {
  const codes = allRules().map((rule) => rule.code);

  it('uses stable kebab-case codes, each once', () => {
    for (const code of codes) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(codes)('has docs/rules/%s.md explaining what, why and how to fix', (code) => {
    const page = join(DOCS, `${code}.md`);
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toMatch(new RegExp(`^# \`?${code}\`?`, 'm'));
    expect(text).toMatch(/pglens-ignore/);
  });

  it('has no page for a rule that does not exist', () => {
    const pages = readdirSync(DOCS).filter((file) => file.endsWith('.md')).map((file) => file.slice(0, -3));
    expect(pages.sort()).toEqual([...codes].sort());
  });

  it('lists every rule in the README, linked to its page', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const code of codes) expect(readme).toContain(`(docs/rules/${code}.md)`);
  });
});
