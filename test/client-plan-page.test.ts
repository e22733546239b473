import { describe, expect, it } from 'vitest';
import type { PlanResponse } from '../server/src/protocol';
import { basicPlanPage } from '../client/src/plan/basic-plan-page';
import { parsePlanMessage } from '../client/src/plan/plan-messages';
import { contentSecurityPolicy, createNonce, withContentSecurityPolicy } from '../client/src/plan/plan-page';

const response: PlanResponse = {
  query: "SELECT * FROM users WHERE email = '<script>alert(1)</script>'",
  planJson: [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'users' } }],
  analyzed: false,
  database: 'shop@localhost, PostgreSQL 15.20',
  findings: [
    {
      file: '/w/src/users.ts',
      range: { start: { line: 3, character: 10 }, end: { line: 3, character: 11 } },
      severity: 'warning',
      code: 'select-star',
      message: 'SELECT * returns every column of users.',
      fixes: [{ title: 'Replace * with the columns of users', edits: [] }],
    },
    { file: '/w/src/users.ts', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } }, severity: 'information', code: 'missing-limit', message: 'No LIMIT.' },
  ],
  suggestions: [{ ddl: 'CREATE INDEX ON users (email)', table: 'users', kind: 'single', costBefore: 1000, costAfter: 8, sizeBytes: 8192 }],
};

describe('plan page security', () => {
  it('makes a fresh 128-bit nonce each time', () => {
    const a = createNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(createNonce()).not.toBe(a);
  });

  it('allows only nonce-tagged scripts and styles and no network', () => {
    const csp = contentSecurityPolicy('abc');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-abc'");
    expect(csp).toContain("style-src 'nonce-abc'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('puts the CSP first in <head> whatever the renderer wrote', () => {
    const meta = '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;">';
    expect(withContentSecurityPolicy('<html><head><title>x</title></head></html>', "default-src 'none'")).toBe(`<html><head>${meta}<title>x</title></head></html>`);
    expect(withContentSecurityPolicy('<html><body>x</body></html>', "default-src 'none'")).toBe(`<html><head>${meta}</head><body>x</body></html>`);
    expect(withContentSecurityPolicy('<p>x</p>', "default-src 'none'")).toContain(`<head>${meta}</head><body><p>x</p></body>`);
  });
});

describe('the basic plan page', () => {
  const html = basicPlanPage(response, { nonce: 'N0nce', csp: contentSecurityPolicy('N0nce') });

  it('escapes the query and findings', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('tags every script and style with the nonce', () => {
    const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
    expect(tags.length).toBe(2);
    for (const tag of tags) expect(tag).toContain('nonce="N0nce"');
  });

  it('offers a button for each fixable finding and each suggestion, and nothing for the rest', () => {
    expect(html).toContain('data-message="applyFix" data-index="0"');
    expect(html).not.toContain('data-message="applyFix" data-index="1"');
    expect(html).toContain('data-message="applySuggestion" data-index="0"');
    expect(html).toContain('Seq Scan');
  });
});

describe('messages from the plan page', () => {
  const counts = { findings: 2, suggestions: 1 };
  it('accepts the two actions by index', () => {
    expect(parsePlanMessage({ type: 'applyFix', findingIndex: 1 }, counts)).toEqual({ type: 'applyFix', findingIndex: 1 });
    expect(parsePlanMessage({ type: 'applySuggestion', index: 0 }, counts)).toEqual({ type: 'applySuggestion', index: 0 });
  });

  it.each([
    [{ type: 'applyFix', findingIndex: 2 }],
    [{ type: 'applyFix', findingIndex: -1 }],
    [{ type: 'applyFix', findingIndex: '0' }],
    [{ type: 'applySuggestion', index: 1.5 }],
    [{ type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['applyFix'],
    [null],
  ])('ignores %j', (message) => {
    expect(parsePlanMessage(message, counts)).toBeUndefined();
  });
});
