import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    codeServer = await startCodeServer({ vsix, folder });
    browser = await launchChromium();
    wb = await Workbench.open(browser, codeServer.url);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && wb) await screenshot(wb, `failed-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}.png`);
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
    const problems = await wb.problems();
    await problems.locator('.monaco-list-row', { hasText: 'SELECT * returns every column of users' }).first().waitFor({ timeout: 30_000 });
  });

  it('"pglens: Show Output" shows the pglens channel with the restart in it', async () => {
    await wb.runCommand('pglens: Show Output');
    const output = wb.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    await output.waitFor();
    await output.locator('.view-line', { hasText: 'pglens: restarting the language server' }).first().waitFor();
  });

  it('applies the Add LIMIT quick fix with Ctrl+. and the file changes', async () => {
    await wb.goTo(25, 40);
    await wb.quickFix('Add LIMIT 100');
    await wb.line("ORDER BY created_at DESC LIMIT 100'").waitFor();
    await wb.page.keyboard.press('Control+S');
    await expect
      .poll(() => readFileSync(usersTs, 'utf8').split('\n')[24], { timeout: 10_000 })
      .toBe("  const { rows } = await pool.query('SELECT * FROM users ORDER BY created_at DESC LIMIT 100');");
    // The finding it fixed is gone; the select-star on the same query stays.
    const problems = await wb.problems();
    await expect.poll(() => problems.locator('.monaco-list-row', { hasText: 'Ln 25, Col 38' }).count(), { timeout: 15_000 }).toBe(0);
    await expect(problems.locator('.monaco-list-row', { hasText: 'Ln 25, Col 45' }).count()).resolves.toBe(1);
  });

  it('"pglens: Explain Query at Cursor" answers with a plan or says why not', async () => {
    await wb.goTo(25, 45);
    await wb.runCommand('pglens: Explain Query at Cursor');
    const toast = wb.page.locator('.notification-toast', { hasText: 'pglens' });
    const preview = wb.page.locator('.tabs-container .tab', { hasText: 'EXPLAIN users.ts line 25' });
    await expect.poll(async () => (await toast.count()) + (await preview.count()), { timeout: 30_000 }).toBeGreaterThan(0);
    if (await toast.count()) expect(await toast.first().innerText()).toMatch(/pglens(:| could not)/);
  });
});
