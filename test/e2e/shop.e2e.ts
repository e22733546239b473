import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCodeServer, type CodeServer } from './code-server';
import { codeServerDir, codeServerInstalled, SETUP_HINT } from './code-server-install';
import { processesMatching } from './processes';
import { CHROMIUM, launchChromium, Workbench } from './workbench';

/**
 * pglens in a real VS Code: the packaged .vsix installed into code-server, a copy of examples/shop
 * opened in Chromium, and a user's path through it with the keyboard and the mouse.
 */
const root = resolve(__dirname, '..', '..');
const missing = [
  ...(codeServerInstalled() ? [] : [`code-server (${codeServerDir()})`]),
  ...(existsSync(CHROMIUM) ? [] : [`Chromium (${CHROMIUM})`]),
];
if (missing.length > 0) {
  const message = `SKIPPED the VS Code tests: ${missing.join(' and ')} not installed; ${SETUP_HINT}.`;
  if (process.env.CI === 'true') throw new Error(`${message} CI must install them.`);
  console.warn(`\n*** ${message} ***\n`);
}

const DEBOUNCE_MS = 1000;

/** Screenshots go to test-results/; with PGLENS_UPDATE_SCREENSHOTS=1 also to docs/images/ for the docs. */
const shots = join(root, 'test-results', 'e2e');
const screenshot = async (wb: Workbench, name: string) => {
  mkdirSync(shots, { recursive: true });
  const image = await wb.page.screenshot({ path: join(shots, name) });
  if (process.env.PGLENS_UPDATE_SCREENSHOTS === '1') cpSync(join(shots, name), join(root, 'docs', 'images', name));
  return image;
};

describe.skipIf(missing.length > 0)('pglens in VS Code (code-server 4.100 + Chromium)', () => {
  let scratch: string;
  let codeServer: CodeServer;
  let browser: Browser;
  let wb: Workbench;
  let usersTs: string;
  const serverProcesses = () => processesMatching(codeServer.extensionsDir, 'dist/server.js');

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'pglens-e2e-'));
    const vsix = join(scratch, 'pglens.vsix');
    execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), vsix], { cwd: root, stdio: 'pipe' });
    // A copy: quick fixes edit files, and the repository must not change.
    const folder = join(scratch, 'shop');
    cpSync(join(root, 'examples', 'shop'), folder, { recursive: true });
    usersTs = join(folder, 'src', 'users.ts');
    // A re-analysis waits a full second after an edit, so the test of stale quick fixes can act inside that window.
    codeServer = await startCodeServer({ vsix, folder, settings: { 'pglens.debounceMs': DEBOUNCE_MS, 'pglens.trace.server': 'messages' } });
    browser = await launchChromium();
    wb = await Workbench.open(browser, codeServer.url);
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !wb) return;
    mkdirSync(shots, { recursive: true });
    await wb.page.screenshot({ path: join(shots, `failed-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}.png`) });
  });

  afterAll(async () => {
    await browser?.close();
    await codeServer?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('reports select-star and missing-limit in a TypeScript file opened with Quick Open', async () => {
    await wb.openFile('users.ts', 'src');
    const problems = await wb.problems();
    const selectStar = problems.locator('.monaco-list-row', { hasText: 'SELECT * returns every column of users' });
    await selectStar.first().waitFor({ timeout: 60_000 });
    await expect(selectStar.first().innerText()).resolves.toMatch(/pglens\s*\(?select-star\)?[\s\S]*Ln 25, Col 45/);
    await expect(problems.locator('.monaco-list-row', { hasText: 'missing-limit' }).first().innerText()).resolves.toContain('Ln 25, Col 38');

    await wb.goTo(25, 45);
    await wb.page.locator('.editor-instance .squiggly-warning').first().waitFor();
    await screenshot(wb, 'vscode-diagnostics.png');
  });

  it('hovers a query with the pglens summary and its findings', async () => {
    const token = wb.line('SELECT * FROM users ORDER BY created_at DESC').locator('span > span', { hasText: 'created_at' }).first();
    const hover = await wb.hover(token, 'Reads');
    const text = await hover.innerText();
    expect(text).toMatch(/^SELECT\s*\n\s*Reads: users\s*\n\s*Parameters: none/m);
    expect(text).toContain('select-star: SELECT * returns every column of users');
    expect(text).toContain('Quick fix: Add LIMIT 100');
    await screenshot(wb, 'vscode-hover.png');
    await wb.page.keyboard.press('Escape');
  });

  it('highlights SQL inside an sql`…` template as SQL tokens', async () => {
    await wb.openFile('orders.ts', 'src');
    await wb.goTo(33, 14);
    const line = wb.line('return sql`SELECT * FROM orders');
    // In a plain string the whole literal is one token; the injected grammar splits out the keywords.
    await expect(line.locator('span > span').filter({ hasText: /^SELECT$/ }).count()).resolves.toBe(1);
    await expect(line.locator('span > span').filter({ hasText: /^FROM$/ }).count()).resolves.toBe(1);
    const colour = (text: RegExp) => line.locator('span > span').filter({ hasText: text }).first().evaluate((el) => getComputedStyle(el).color);
    expect(await colour(/^SELECT$/)).not.toBe(await colour(/^`$/));
    await wb.openFile('users.ts', 'src');
  });

  it('opens the pglens actions from the status bar', async () => {
    const item = wb.statusItem('pglens.status');
    await item.click();
    const picks = wb.page.locator('.quick-input-list .monaco-list-row');
    await picks.filter({ hasText: 'Restart Server' }).first().waitFor();
    await expect(picks.allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('Connect to Database…'), expect.stringContaining('Show Output'), expect.stringContaining('Restart Server')]),
    );
    await wb.page.keyboard.press('Escape');
  });

  it('"pglens: Restart Server" replaces the server process, and diagnostics come back', async () => {
    const before = serverProcesses();
    expect(before).toHaveLength(1);
    await wb.runCommand('pglens: Restart Server');
    await expect.poll(serverProcesses, { timeout: 30_000 }).not.toEqual(before);
    await expect.poll(() => serverProcesses().length, { timeout: 30_000 }).toBe(1);
    // Stopping the client clears its diagnostics: these come from the new server.
    await wb.problemsOf('users.ts', 'SELECT * returns every column of users');
  });

  it('"pglens: Show Output" shows the pglens channel: the restart, and the protocol as pglens.trace.server asks', async () => {
    await wb.runCommand('pglens: Show Output');
    const output = wb.page.locator('.part.panel [id="workbench.panel.output"]').first();
    await output.waitFor();
    await expect(output.locator('.monaco-select-box, select').first().inputValue().catch(() => output.innerText())).resolves.toMatch(/pglens/);
    // The channel is long: its filter keeps the line asked for in view.
    const filter = wb.page.locator('.part.panel .viewpane-filter input').first();
    for (const line of ['pglens: restarting the language server', "Sending request 'initialize"]) {
      // Typed again until it shows: a filter typed while the panel is still opening can be lost.
      await expect
        .poll(async () => {
          await filter.fill(line);
          return output.locator('.view-line', { hasText: line }).first().waitFor({ timeout: 2_000 }).then(() => true, () => false);
        }, { timeout: 30_000, interval: 500 })
        .toBe(true);
    }
    await filter.fill('');
  });

  it('plans on the sandbox built from the shop’s migrations, as the status bar says', async () => {
    const item = wb.statusItem('pglens.status');
    // Building the sandbox generates the shop's rows in PGlite: the slow part of this suite.
    await item.locator('.codicon-beaker').waitFor({ timeout: 180_000 });
    await expect(item.innerText()).resolves.toContain('sandbox');
  }, 200_000);

  it('hovers a query that scans a large table: the sandbox’s plan, the seq scan on it, and a verified index', async () => {
    await wb.openFile('orders.ts', 'src');
    await wb.goTo(16, 60); // ordersForUser's query, in view
    const token = wb.line('FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 20').locator('span > span', { hasText: 'user_id' }).first();
    const hover = await wb.hover(token, 'Index suggestion');
    const text = await hover.innerText();
    expect(text).toContain('Query plan');
    expect(text).toMatch(/Seq Scan on orders/);
    expect(text).toContain('Sandbox plan');
    expect(text).toMatch(/CREATE INDEX[^\n]* ON (?:public\.)?orders\b[^\n]*\(user_id/);
    await screenshot(wb, 'vscode-hover-plan.png');
    await wb.page.keyboard.press('Escape');
    await wb.openFile('users.ts', 'src');
  });

  it('"pglens: Explain Query at Cursor" shows the plan as Markdown beside the editor', async () => {
    await wb.goTo(25, 45);
    await wb.runCommand('pglens: Explain Query at Cursor');
    await wb.page.locator('.tabs-container .tab', { hasText: 'EXPLAIN users.ts line 25' }).first().waitFor();
    const preview = await wb.webview('EXPLAIN · line 25');
    const text = await preview.evaluate(() => document.body.innerText);
    expect(text).toContain('SELECT * FROM users ORDER BY created_at DESC');
    expect(text).toMatch(/Seq Scan|Index Scan|Sort/);
  });

  it('the hover’s links run EXPLAIN ANALYZE and open the plan view', async () => {
    await wb.goTo(25, 45);
    const token = wb.line('SELECT * FROM users ORDER BY created_at DESC').locator('span > span', { hasText: 'created_at' }).first();
    await (await wb.hover(token, 'Run EXPLAIN ANALYZE')).locator('a', { hasText: 'Run EXPLAIN ANALYZE' }).click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'EXPLAIN ANALYZE users.ts line 25' }).first().waitFor();
    await wb.webview('EXPLAIN ANALYZE · line 25');

    await wb.goTo(25, 45);
    await (await wb.hover(token, 'Show Plan')).locator('a', { hasText: 'Show Plan' }).click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'Plan: users.ts' }).first().waitFor();
    await wb.webview('List the columns explicitly');
  });

  it('"pglens: Show Plan" opens the plan view, whose fix button edits the query', async () => {
    await wb.goTo(25, 45);
    const earlier = wb.page.frames(); // the plan view the hover opened: this command renders a new page in it
    await wb.runCommand('pglens: Show Plan');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Plan: users.ts' }).first().waitFor();
    const plan = await wb.webview('List the columns explicitly', { except: earlier });
    const policies = await plan.evaluate(() => [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.getAttribute('content')));
    expect(policies[0]).toMatch(/^default-src 'none'; img-src data:; style-src 'nonce-[A-Za-z0-9+/=]+'; script-src 'nonce-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
    await wb.runCommand('View: Hide Panel');
    await screenshot(wb, 'vscode-plan.png');

    await plan.locator('button[data-action="applyFix"]', { hasText: 'List the columns explicitly' }).click();
    const query = wb.line('FROM users ORDER BY created_at DESC');
    await expect.poll(() => wb.lineText(query), { timeout: 15_000 }).toMatch(/'SELECT id, email, [a-z_, ]+ FROM users ORDER BY created_at DESC'/);
    // Re-analysed: the select-star finding on that query is gone, its missing-limit stays.
    await wb.problemsOf('users.ts', 'Ln 25, Col 45', 0);
    await wb.problemsOf('users.ts', 'Ln 25, Col 38', 1);
  });

  it('applies the Add LIMIT quick fix with Ctrl+. and the file changes', async () => {
    await wb.goTo(25, 40);
    await wb.quickFix('Add LIMIT 100');
    await wb.page.keyboard.press('Control+S');
    // Both edits (the plan view's column list, then this LIMIT) are on disk.
    await expect
      .poll(() => readFileSync(usersTs, 'utf8').split('\n')[24], { timeout: 10_000 })
      .toMatch(/^ {2}const \{ rows \} = await pool\.query\('SELECT id, email, full_name, [a-z_, ]+ FROM users ORDER BY created_at DESC LIMIT 100'\);$/);
    // Both findings on that query are gone.
    await wb.problemsOf('users.ts', 'Ln 25,', 0);
  });

  // VS Code's language client drops the version a WorkspaceEdit is pinned to, so a fix computed before
  // the last edit would land at old offsets: the server offers fixes only for the version a finding was
  // computed on (server/src/lsp/code-actions.ts), and Ctrl+. right after an edit gets the new one.
  it('never applies a quick fix computed before the last edit', async () => {
    await wb.openFile('users.ts', 'src');
    await wb.problemsOf('users.ts', 'Ln 67, Col 6');
    await wb.goTo(67, 12); // after SELECT in signupsSince's query; its missing-limit fix appends to line 71
    // Within the debounce: a new line moves the query's end down, then straight to Ctrl+. on SELECT.
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('ArrowUp');
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Home');
    await wb.page.keyboard.press('ArrowRight');
    await wb.quickFix('Add LIMIT 100');
    // The edit reaches the editor after the action is chosen: save once it is there.
    await wb.line('ORDER BY 1 LIMIT 100').waitFor();
    await wb.page.keyboard.press('Control+S');
    // The new line split line 67, so the query now ends on line 72, and the LIMIT with it.
    await expect
      .poll(() => readFileSync(usersTs, 'utf8').split('\n').slice(66, 72).join('\n'), { timeout: 10_000 })
      .toMatch(/GROUP BY 1\n\s+ORDER BY 1 LIMIT 100`,$/);
  });

  it('"pglens: Connect to Database…" keeps the URL out of settings and plans on that database', async () => {
    const password = 'e2e-not-in-settings';
    await wb.runCommand('pglens: Connect to Database…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('mysql://nope');
    await wb.page.locator('.quick-input-message', { hasText: 'postgres:// or postgresql://' }).waitFor();
    await input.fill(`postgresql://postgres:${password}@127.0.0.1:5432/test`);
    await wb.page.keyboard.press('Enter');
    const item = wb.statusItem('pglens.status');
    await expect.poll(() => item.innerText(), { timeout: 30_000 }).toContain('test@127.0.0.1');
    const files = settingsFiles(codeServer.userDataDir, codeServer.folder);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(password);

    await wb.runCommand('pglens: Disconnect from Database');
    await expect.poll(() => item.innerText(), { timeout: 60_000 }).toContain('sandbox');
  });
});

/** Every settings.json under `folders`: where a URL saved as a setting would land. */
function settingsFiles(...folders: string[]): string[] {
  const found: string[] = [];
  for (const folder of folders.filter((f) => existsSync(f))) {
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name === 'settings.json') found.push(join(entry.parentPath, entry.name));
    }
  }
  return found;
}
