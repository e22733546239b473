import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQuery } from '../server/src/advisor/advise';
import { DatabaseCatalog } from '../server/src/db/catalog';
import { PostgresDatabase } from '../server/src/db/postgres-database';
import { planFindings } from '../server/src/plan/findings/registry';
import { parsePlan } from '../server/src/plan/parse';
import { renderPlanPage, type IndexSuggestionView, type PlanPageInput } from '../server/src/plan/view';
import { createTestDatabase, SHOP_SCHEMA, type TestDatabase } from './db/test-database';
import { chromiumAvailable, explainJson, FORCE_PARALLEL, launchChromium, unionOfJoins, withSettings, type RealPlan } from './plan-view-support';

/**
 * The plan page in real headless Chromium, with real plans from the local PostgreSQL: structure,
 * interaction, isolation (no request leaves the page, nothing violates its CSP) and speed.
 */
/**
 * Screenshots go to test-results/ (ignored by git), so a test run never changes the repository; with
 * PGLENS_UPDATE_SCREENSHOTS=1 they are written to docs/images/ for the README and docs instead.
 */
const images = resolve(__dirname, '..', process.env.PGLENS_UPDATE_SCREENSHOTS === '1' ? 'docs/images' : 'test-results/plan-view');
mkdirSync(images, { recursive: true });
const run = chromiumAvailable();

let db: TestDatabase;
/** What the index advisor suggests for the join and the filtered scan, verified here: the screenshots show it. */
let joinSuggestions: IndexSuggestionView[] = [];
let scanSuggestions: IndexSuggestionView[] = [];
let browser: Browser;
let context: BrowserContext;
const plans: Record<string, RealPlan> = {};

const SUGGESTION: IndexSuggestionView = {
  ddl: 'CREATE INDEX orders_status_idx ON orders (status);',
  table: 'orders',
  kind: 'btree',
  costBefore: 3_000,
  costAfter: 420,
  sizeBytes: 1_081_344,
};

beforeAll(async () => {
  if (!run) return;
  db = await createTestDatabase(SHOP_SCHEMA);
  const c = db.client;
  plans.seqScan = await explainJson(c, "SELECT id, total FROM orders WHERE status = 'paid'");
  // One order in 200: selective enough for an index to pay, so the advisor suggests one.
  const selective = 'SELECT id, status FROM orders WHERE total > 99.5';
  plans.selective = await explainJson(c, selective);
  scanSuggestions = await adviceFor(db, selective);
  plans.seqScanAnalyzed = await explainJson(c, "SELECT id, total FROM orders WHERE status = 'paid'", { analyze: true });
  const join = "SELECT u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = 'de' AND o.total > 90";
  plans.join = await explainJson(c, join, { analyze: true });
  joinSuggestions = await adviceFor(db, join);
  // lower(email) = email is true for every row; the planner guesses 0.5 % of them.
  plans.misestimate = await explainJson(c, 'SELECT id FROM users WHERE lower(email) = email ORDER BY id LIMIT 100000', { analyze: true });
  // One process, so the sort's row count is the LIMIT's (parallel workers would each stop early).
  plans.topN = await withSettings(c, ['SET max_parallel_workers_per_gather = 0'], () =>
    explainJson(c, 'SELECT id, total FROM orders ORDER BY total DESC LIMIT 25', { analyze: true }),
  );
  plans.parallel = await withSettings(c, FORCE_PARALLEL, () => explainJson(c, 'SELECT status, count(*), avg(total) FROM orders GROUP BY status ORDER BY status', { analyze: true }));
  plans.cte = await explainJson(
    c,
    'WITH recent AS MATERIALIZED (SELECT * FROM orders WHERE id > 149000) SELECT u.email, r.total FROM recent r JOIN users u ON u.id = r.user_id WHERE r.total > (SELECT avg(total) FROM recent)',
    { analyze: true },
  );
  plans.big = await explainJson(c, unionOfJoins(50), { analyze: true });
  plans.bigEstimate = await explainJson(c, unionOfJoins(50));
  plans.pg18 = pg18Fixture('join-aggregate');
  plans.pg18Disabled = pg18Fixture('disabled-seq-scan');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  mkdirSync(images, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await db?.drop();
});

/** A PostgreSQL 18 plan saved from PGlite (test/fixtures/plans/generate-pg18.mjs). */
function pg18Fixture(name: string): RealPlan {
  const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'plans', 'pg18', `${name}.json`), 'utf8')) as { sql: string; json: unknown };
  const parsed = parsePlan(fixture.json);
  if (!parsed.ok) throw new Error(parsed.message);
  return { sql: fixture.sql, json: fixture.json, plan: parsed.plan, findings: planFindings(parsed.plan) };
}

interface Rendered {
  page: Page;
  /** Every request the page tried to make (all are aborted). */
  requests: string[];
  /** Console errors and page errors, CSP violations among them. */
  errors: string[];
  /** Milliseconds from setContent until the tree and the graph are in place and the script is ready. */
  renderMs: number;
}

async function render(input: PlanPageInput, options: { webview?: boolean; state?: unknown } = {}): Promise<Rendered> {
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  await page.route('**', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.webview) {
    // Stands in for VS Code's webview API: records what the page posts.
    await page.addInitScript((state) => {
      const posted: unknown[] = [];
      let saved: unknown = state;
      Object.assign(window, {
        __posted: posted,
        __state: () => saved,
        acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(m), getState: () => saved, setState: (s: unknown) => (saved = s) }),
      });
    }, options.state);
    // Init scripts run for new documents; setContent writes into the current one, so make one.
    await page.goto('about:blank');
  }
  const html = renderPlanPage(input);
  const started = Date.now();
  await page.setContent(html);
  await page.waitForSelector('html[data-ready="true"] [role="tree"] [role="treeitem"]', { state: 'attached' });
  await page.waitForSelector('.flame .flame-box', { state: 'attached' });
  const renderMs = Date.now() - started;
  return { page, requests, errors, renderMs };
}

function inputOf(plan: RealPlan, extra: Partial<PlanPageInput> = {}): PlanPageInput {
  return { query: plan.sql, plan: plan.plan, json: plan.json, findings: plan.findings, database: 'shop@127.0.0.1, PostgreSQL 15', theme: 'light', ...extra };
}

/** The plan node a finding with `code` points at. */
function nodeWith(plan: RealPlan, code: string): number {
  const finding = plan.findings.find((f) => f.code === code);
  if (!finding) throw new Error(`expected a ${code} finding in ${plan.sql}`);
  return finding.node.id;
}

/** Some of VS Code's Dark Modern theme, as a webview receives it in CSS variables. */
const DARK_MODERN = {
  '--vscode-font-family': 'system-ui, "Segoe UI", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-sideBar-background': '#181818',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-list-inactiveSelectionBackground': '#37373d',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-editorError-foreground': '#f85149',
  '--vscode-editorInfo-foreground': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-debugTokenExpression-name': '#c586c0',
  '--vscode-debugTokenExpression-string': '#ce9178',
  '--vscode-debugTokenExpression-number': '#b5cea8',
};

describe.skipIf(!run)('plan page in Chromium', () => {
  it('shows one tree item and one graph box per plan node, for every kind of plan', async () => {
    for (const [name, plan] of Object.entries(plans)) {
      const { page, requests, errors } = await render(inputOf(plan));
      expect(await page.locator('[role="treeitem"]').count(), name).toBe(plan.plan.nodes.length);
      expect(await page.locator('.flame-box').count(), name).toBe(plan.plan.nodes.length);
      expect(requests, name).toEqual([]);
      expect(errors, name).toEqual([]);
      await page.close();
    }
  });

  it('puts the seq-scan badge on the sequential scan, with and without ANALYZE', async () => {
    for (const plan of [plans.seqScan, plans.seqScanAnalyzed]) {
      const id = nodeWith(plan, 'seq-scan');
      expect(plan.plan.nodes[id].nodeType).toBe('Seq Scan');
      const { page } = await render(inputOf(plan));
      const badge = page.locator(`#node-${id} > .row .badge`);
      await expect.poll(() => badge.textContent()).toBe('seq-scan');
      expect(await badge.isVisible()).toBe(true);
      // The finding is listed in the header too, and its link selects the node.
      await page.locator(`.findings [data-select="${id}"]`).click();
      expect(await page.locator(`#node-${id}`).getAttribute('aria-selected')).toBe('true');
      await page.close();
    }
  });

  it('highlights a row estimate that is off by 10× or more, and only that', async () => {
    const plan = plans.misestimate;
    const scan = plan.plan.nodes.find((n) => n.relation === 'users');
    expect(scan?.actual).toBeDefined();
    const { page } = await render(inputOf(plan));
    const highlighted = await page.locator('.misestimate').evaluateAll((els) => els.map((el) => el.closest('[role="treeitem"]')?.id));
    expect(highlighted).toContain(`node-${scan?.id}`);
    const mark = page.locator(`#node-${scan?.id} > .row .misestimate`);
    expect(await mark.textContent()).toMatch(/^▲\d+(\.\d)?×$/);
    expect(await mark.getAttribute('title')).toMatch(/more rows than the planner estimated/);
    // Every highlighted node really is off by ≥ 10×.
    for (const id of highlighted) {
      const node = plan.plan.nodes[Number(id?.replace('node-', ''))];
      const ratio = Math.max(node.actual?.rows ?? 0, 1) / Math.max(node.planRows, 1);
      expect(Math.max(ratio, 1 / ratio)).toBeGreaterThanOrEqual(10);
    }
    await page.screenshot({ path: join(images, 'plan-view-misestimate.png'), fullPage: true });
    await page.close();
  });

  it('does not mark the fewer rows a LIMIT asks for as a misestimate (a top-N sort)', async () => {
    const plan = plans.topN;
    const sort = plan.plan.nodes.find((n) => n.nodeType === 'Sort');
    // The sort was planned for every order and stopped after 25: ≥ 10× fewer, and rightly so.
    expect(sort?.actual?.rows).toBe(25);
    expect(sort!.planRows / sort!.actual!.rows).toBeGreaterThanOrEqual(10);
    const { page } = await render(inputOf(plan));
    expect(await page.locator(`#node-${sort?.id}`).count()).toBe(1);
    expect(await page.locator('.misestimate').count()).toBe(0);
    await page.close();
  });

  it('folds and unfolds a node’s children from its twisty', async () => {
    const plan = plans.join;
    const { page } = await render(inputOf(plan));
    const root = plan.plan.root;
    const child = `#node-${root.children[0].id}`;
    expect(await page.locator(child).isVisible()).toBe(true);
    await page.locator('#node-0 > .row .twisty').click();
    expect(await page.locator('#node-0').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator(child).isVisible()).toBe(false);
    await page.locator('#node-0 > .row .twisty').click();
    expect(await page.locator(child).isVisible()).toBe(true);
    await page.close();
  });

  it('moves focus with the keyboard and folds with Enter and Left', async () => {
    const plan = plans.cte;
    const { page } = await render(inputOf(plan));
    const focused = () => page.evaluate(() => document.activeElement?.id);
    await page.locator('#node-0').focus();
    expect(await focused()).toBe('node-0');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('node-1');
    expect(await page.locator('#node-1').getAttribute('aria-selected')).toBe('true');
    // The focused row shows a visible outline.
    const outline = await page.locator('#node-1 > .row').evaluate((row) => getComputedStyle(row).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('node-0');
    await page.keyboard.press('Enter');
    expect(await page.locator('#node-0').getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('node-0');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#node-0').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('End');
    expect(await focused()).toBe(`node-${plan.plan.nodes.length - 1}`);
    await page.keyboard.press('Home');
    expect(await focused()).toBe('node-0');
    // Only one item is in the tab order.
    expect(await page.locator('[role="treeitem"][tabindex="0"]').count()).toBe(1);
    await page.close();
  });

  it('selects and scrolls to the tree node when a graph box is clicked, and marks the box', async () => {
    const plan = plans.big;
    const { page } = await render(inputOf(plan));
    // A branch far down the tree, and the widest of those so its box is easy to hit (widths follow timings).
    const branches = plan.plan.root.children.slice(-20);
    const last = branches.reduce((a, b) => ((b.inclusiveTimeMs ?? 0) > (a.inclusiveTimeMs ?? 0) ? b : a));
    await page.locator(`#flame-${last.id}`).click({ position: { x: 2, y: 8 } });
    const item = page.locator(`#node-${last.id}`);
    expect(await item.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => item.locator('> .row').evaluate((row) => {
      const box = row.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    })).toBe(true);
    expect(await page.locator(`#flame-${last.id}`).getAttribute('class')).toContain('selected');
    // And the other way: selecting in the tree marks the box.
    await page.locator(`#node-${last.children[0].id} > .row .op`).click();
    expect(await page.locator(`#flame-${last.children[0].id}`).getAttribute('class')).toContain('selected');
    expect(await page.locator(`#flame-${last.id}`).getAttribute('class')).not.toContain('selected');
    await page.close();
  });

  it('has the text and JSON forms with copy buttons that copy them', async () => {
    const plan = plans.parallel;
    const { page } = await render(inputOf(plan, { suggestions: [SUGGESTION] }));
    await page.getByRole('tab', { name: 'Text' }).click();
    const text = page.locator('#text-source');
    expect(await text.isVisible()).toBe(true);
    expect(await text.textContent()).toMatch(/^Finalize GroupAggregate .*\n.*Group Key: status/);
    expect(await text.textContent()).toContain('->  Parallel Seq Scan on orders');
    await page.getByRole('tab', { name: 'JSON' }).click();
    expect(JSON.parse((await page.locator('#json-source').textContent()) ?? '')).toEqual(plan.json);
    for (const target of ['text-source', 'json-source', 'ddl-0', 'query-sql']) expect(await page.locator(`button[data-copy="${target}"]`).count()).toBe(1);
    // setContent's about:blank has no async clipboard: the fallback copies the selection of a textarea.
    await page.evaluate(() => document.addEventListener('copy', (e) => Object.assign(window, { __copied: (e.target as HTMLTextAreaElement).value })));
    await page.locator('button[data-copy="json-source"]').click();
    await expect.poll(() => page.locator('.toast').textContent()).toBe('Copied to the clipboard');
    expect(JSON.parse(await page.evaluate(() => (window as unknown as { __copied: string }).__copied))).toEqual(plan.json);
    await page.close();
  });

  it('copies through the clipboard API when opened as a file, as the CLI’s HTML report is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglens-plan-view-'));
    const file = join(dir, 'plan.html');
    writeFileSync(file, renderPlanPage(inputOf(plans.join, { suggestions: [SUGGESTION] })));
    const fileContext = await browser.newContext();
    await fileContext.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await fileContext.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-ready="true"]');
    expect(await page.evaluate(() => document.documentElement.dataset.host)).toBe('standalone');
    await page.locator('button[data-copy="ddl-0"]').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(SUGGESTION.ddl);
    expect(errors).toEqual([]);
    await fileContext.close();
    rmSync(dir, { recursive: true });
  });

  it('offers apply buttons in a webview and posts the right messages; only copy outside one', async () => {
    const plan = plans.seqScanAnalyzed;
    const input = inputOf(plan, { suggestions: [SUGGESTION, { ...SUGGESTION, ddl: 'CREATE INDEX ON orders (status, total);' }] });

    const standalone = await render(input);
    expect(await standalone.page.locator('[data-action]').first().isVisible()).toBe(false);
    expect(await standalone.page.locator('button[data-copy="ddl-1"]').isVisible()).toBe(true);
    await standalone.page.close();

    const { page } = await render(input, { webview: true });
    const posted = () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    expect(await posted()).toEqual([{ type: 'ready' }]);
    await page.locator('[data-action="applyFix"][data-index="0"]').click();
    await page.locator('[data-action="applySuggestion"][data-index="1"]').click();
    expect((await posted()).slice(1)).toEqual([
      { type: 'applyFix', findingIndex: 0 },
      { type: 'applySuggestion', index: 1 },
    ]);
    // The host answers; the button says it is done.
    await page.evaluate(() => window.postMessage({ type: 'actionResult', action: 'applySuggestion', index: 1, ok: true, message: 'Migration created' }, '*'));
    await expect.poll(() => page.locator('[data-action="applySuggestion"][data-index="1"]').textContent()).toBe('Applied');
    expect(await page.locator('[data-action="applySuggestion"][data-index="1"]').isDisabled()).toBe(true);
    // The host can select a node.
    const id = nodeWith(plan, 'seq-scan');
    await page.evaluate((nodeId) => window.postMessage({ type: 'selectNode', nodeId }, '*'), id);
    await expect.poll(() => page.locator(`#node-${id}`).getAttribute('aria-selected')).toBe('true');
    await page.close();
  });

  it('keeps folds, selection and tab in the webview state and comes back to them', async () => {
    const plan = plans.join;
    const first = await render(inputOf(plan), { webview: true });
    await first.page.locator('#node-2 > .row .twisty').click();
    await first.page.locator('#node-1 > .row .op').click();
    await first.page.getByRole('tab', { name: 'Text' }).click();
    const state = await first.page.evaluate(() => (window as unknown as { __state(): unknown }).__state());
    expect(state).toEqual({ collapsed: [2], selected: 1, tab: 'text' });
    await first.page.close();
    // The panel is shown again: a new page with the state VS Code kept.
    const { page } = await render(inputOf(plan), { webview: true, state });
    expect(await page.locator('#node-2').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#node-1').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#panel-text').isVisible()).toBe(true);
    expect(await page.locator('#panel-plan').isVisible()).toBe(false);
    await page.close();
  });

  it('makes no request and breaks no CSP rule, with the nonce it is given', async () => {
    const plan = plans.join;
    const html = renderPlanPage(inputOf(plan, { nonce: 'abc123XYZ' }));
    expect(html).toContain(`content="default-src 'none'; style-src 'nonce-abc123XYZ'; script-src 'nonce-abc123XYZ'; img-src data:"`);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const { requests, errors } = await render(inputOf(plan, { nonce: 'abc123XYZ' }));
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows PostgreSQL 18 plans: fractional rows in the text form, disabled nodes marked', async () => {
    const { page } = await render(inputOf(plans.pg18, { database: 'sandbox (PGlite, PostgreSQL 18)' }));
    expect(await page.locator('#text-source').textContent()).toMatch(/^Limit {2}\(cost=[\d.]+ rows=10 width=29\) \(actual time=[\d.]+\.\.[\d.]+ rows=10\.00 loops=1\)/);
    await page.close();
    const disabled = await render(inputOf(plans.pg18Disabled));
    expect(await disabled.page.locator('#node-0 > .row .details').textContent()).toContain('Disabled');
    await disabled.page.close();
  });

  it('shows hostile query text as text, and a plan it cannot read as a message', async () => {
    const hostile = "SELECT '</script><script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">' AS x";
    const { page, errors, requests } = await render(inputOf(plans.join, { query: hostile }));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#query-sql').textContent()).toBe(hostile);
    expect(await page.locator('script').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.setContent(renderPlanPage({ query: 'SELECT 1', json: '{"not": "a plan"}' }));
    expect(await page.getByRole('alert').textContent()).toBe('The plan could not be shown. This is not EXPLAIN (FORMAT JSON) output: it has no "Plan" object.');
    await page.close();
  });

  it('folds a long query to its first lines until asked', async () => {
    const { page } = await render(inputOf(plans.big));
    const query = page.locator('#query-sql');
    const folded = (await query.boundingBox())?.height ?? 0;
    const button = page.locator('button[data-fold="query-sql"]');
    expect(await button.textContent()).toBe(`Show all ${plans.big.sql.split('\n').length} lines`);
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await button.textContent()).toBe('Show less');
    expect((await query.boundingBox())?.height ?? 0).toBeGreaterThan(folded * 4);
    await page.close();
  });

  it('takes its colours from VS Code’s theme variables, else from the system’s light or dark mode', async () => {
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const vscode = await render(inputOf(plans.join, { theme: 'vscode' }));
    await vscode.page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-editor-background', 'rgb(1, 2, 3)');
      document.body.classList.add('vscode-dark');
    });
    expect(await background(vscode.page)).toBe('rgb(1, 2, 3)');
    await vscode.page.evaluate(() => document.documentElement.style.removeProperty('--vscode-editor-background'));
    await vscode.page.emulateMedia({ colorScheme: 'light' });
    expect(await background(vscode.page)).toBe('rgb(30, 31, 34)'); // body.vscode-dark wins over the system
    await vscode.page.evaluate(() => document.body.classList.remove('vscode-dark'));
    expect(await background(vscode.page)).toBe('rgb(255, 255, 255)');
    await vscode.page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(vscode.page)).toBe('rgb(30, 31, 34)');
    await vscode.page.close();
    const light = await render(inputOf(plans.join, { theme: 'light' }));
    await light.page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(light.page)).toBe('rgb(255, 255, 255)');
    await light.page.close();
  });

  it('renders a 200-node plan in under a second', async () => {
    for (const plan of [plans.big, plans.bigEstimate]) {
      expect(plan.plan.nodes.length).toBeGreaterThanOrEqual(200);
      const { page, renderMs } = await render(inputOf(plan));
      console.log(`plan view: ${plan.plan.nodes.length} nodes (${plan.plan.analyzed ? 'ANALYZE' : 'estimate'}) rendered in ${renderMs} ms`);
      expect(renderMs).toBeLessThan(1000);
      expect(await page.locator('[role="treeitem"]').count()).toBe(plan.plan.nodes.length);
      await page.close();
    }
  });

  it('takes the screenshots for the docs', async () => {
    const plan = plans.join;
    // Suggestions shown are the advisor's own for each query, verified on this database: none for the
    // join (no index pays for its filters), one for the selective scan.
    expect(scanSuggestions.map((s) => s.ddl)).toEqual([expect.stringMatching(/^CREATE INDEX .*orders .*\(total/)]);
    const shots: [string, PlanPageInput][] = [
      ['plan-view.png', inputOf(plan, { suggestions: joinSuggestions, theme: 'light' })],
      ['plan-view-dark.png', inputOf(plans.parallel, { theme: 'dark' })],
      ['plan-view-cte.png', inputOf(plans.cte, { theme: 'light' })],
      ['plan-view-estimate.png', inputOf(plans.selective, { theme: 'dark', suggestions: scanSuggestions })],
    ];
    for (const [file, input] of shots) {
      const { page } = await render(input);
      await page.screenshot({ path: join(images, file), fullPage: true });
      await page.close();
    }
    // A VS Code webview beside the editor: Dark Modern's colours, a narrow panel, a node selected.
    const narrow = await browser.newContext({ viewport: { width: 860, height: 900 }, deviceScaleFactor: 1 });
    const page = await narrow.newPage();
    await page.addInitScript(() => Object.assign(window, { acquireVsCodeApi: () => ({ postMessage() {}, getState() {}, setState() {} }) }));
    await page.goto('about:blank');
    await page.setContent(renderPlanPage(inputOf(plans.join, { theme: 'vscode', suggestions: joinSuggestions, database: 'shop@localhost, PostgreSQL 15.20' })));
    await page.evaluate((vars) => {
      for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
      document.body.classList.add('vscode-dark');
    }, DARK_MODERN);
    await page.locator(`#flame-${nodeWith(plans.join, 'seq-scan')}`).click({ position: { x: 4, y: 6 } });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(images, 'plan-view-vscode.png'), fullPage: true });
    await narrow.close();

    const big = await render(inputOf(plans.big, { theme: 'light' }));
    await big.page.screenshot({ path: join(images, 'plan-view-200-nodes.png') });
    await big.page.close();
  });
});

/** The advisor's verified suggestions for `sql`, as the plan page lists them. */
async function adviceFor(test: TestDatabase, sql: string): Promise<IndexSuggestionView[]> {
  const database = new PostgresDatabase(test.config, { max: 1 });
  try {
    const advice = await adviseQuery(database, sql, { catalog: await DatabaseCatalog.load(database), settings: { createHypopg: true } });
    if (!advice.ok) throw new Error(`the advisor failed on the join: ${advice.message}`);
    return advice.suggestions.map(({ ddl, table, kind, costBefore, costAfter, sizeBytes }) => ({ ddl, table, kind, costBefore, costAfter, sizeBytes }));
  } finally {
    await database.end();
  }
}
