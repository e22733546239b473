import { describe, expect, it } from 'vitest';
import type { PlanResponse } from '../server/src/protocol';
import { renderPlanPage } from '../server/src/plan/view';
import { actionResult, parsePlanMessage } from '../client/src/plan/plan-messages';
import { planPageInput } from '../client/src/plan/plan-page-input';
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
      data: { planNode: { id: 1, nodeType: 'Seq Scan', label: 'users' } },
      fixes: [
        { title: 'Suppress', edits: [] },
        { title: 'Replace * with the columns of users', edits: [], preferred: true },
      ],
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

describe('the plan page in the webview', () => {
  const nonce = createNonce();
  const input = planPageInput(response, { nonce, title: 'Plan: users.ts' });
  const html = withContentSecurityPolicy(renderPlanPage(input), contentSecurityPolicy(nonce));

  it('hands the response to the page with one button label per finding: its fix, or none', () => {
    expect(input).toMatchObject({ query: response.query, json: response.planJson, database: response.database, analyzed: false, theme: 'vscode', nonce });
    expect(input.findings?.map((f) => f.action)).toEqual(['Replace * with the columns of users', null]);
    expect(input.findings?.[0]).toMatchObject({ code: 'select-star', severity: 'warning', node: { id: 1 } });
    expect(input.findings?.[1]?.node).toBeUndefined();
    expect(input.suggestions).toBe(response.suggestions);
  });

  it('escapes the query', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  it('runs only nonce-tagged scripts and styles, under our CSP first', () => {
    const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html.indexOf(`script-src 'nonce-${nonce}'; base-uri`)).toBeLessThan(html.indexOf('<title>'));
  });

  it('offers apply buttons for the fixable finding and the suggestion only', () => {
    expect(html).toContain('data-action="applyFix" data-index="0"');
    expect(html).not.toContain('data-action="applyFix" data-index="1"');
    expect(html).toContain('data-action="applySuggestion" data-index="0"');
  });
});

describe('messages from the plan page', () => {
  const counts = { findings: 2, suggestions: 1 };
  it('accepts the two actions by index', () => {
    expect(parsePlanMessage({ type: 'applyFix', findingIndex: 1 }, counts)).toEqual({ type: 'applyFix', findingIndex: 1 });
    expect(parsePlanMessage({ type: 'applySuggestion', index: 0 }, counts)).toEqual({ type: 'applySuggestion', index: 0 });
  });

  it('answers with the result the page shows on the button', () => {
    expect(actionResult({ type: 'applyFix', findingIndex: 1 }, { ok: true })).toEqual({ type: 'actionResult', action: 'applyFix', index: 1, ok: true });
    expect(actionResult({ type: 'applySuggestion', index: 0 }, { ok: false, message: 'gone' })).toEqual({
      type: 'actionResult',
      action: 'applySuggestion',
      index: 0,
      ok: false,
      message: 'gone',
    });
  });

  it.each([
    [{ type: 'ready' }],
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
