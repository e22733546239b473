import { expect } from 'vitest';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * The VS Code workbench in a browser page, driven the way a user drives it: keyboard shortcuts, the
 * quick input, the mouse. Selectors are VS Code's own DOM classes (stable across 1.9x releases).
 */
export class Workbench {
  constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string): Promise<Workbench> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer shows the folder once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return new Workbench(page);
  }

  /** Quick Open (Ctrl+P): types `name`, waits for it among the results, opens it. */
  async openFile(name: string, folder: string): Promise<Locator> {
    // Into the editor first: with the focus in a panel, Ctrl+P may not reach the workbench.
    await this.page.keyboard.press('Control+1');
    const input = this.page.locator('.quick-input-widget input');
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused .label-name').first();
    // The folder too: "orders.ts" alone also matches order-items.ts. Quick Open closes if something
    // takes the focus while it opens, and its list reorders as results come in, so this is tried again
    // until the focused result is the file, then opened with Enter (a click can land on a moved row).
    await expect
      .poll(async () => {
        if (!(await input.isVisible())) await this.page.keyboard.press('Control+P');
        if (!(await input.fill(`${folder}/${name}`, { timeout: 1_000 }).then(() => true, () => false))) return '';
        return focused.innerText({ timeout: 1_000 }).catch(() => '');
      }, { timeout: 20_000, interval: 300 })
      .toBe(name);
    await this.page.keyboard.press('Enter');
    // By resource name: a webview tab titled "Plan: users.ts" must not count as the file's tab.
    const tab = this.page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`);
    await tab.waitFor();
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').waitFor();
    return editor;
  }

  /** The command palette (F1): runs the command whose label is exactly `label`. */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${label}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: label }) });
    await row.first().waitFor();
    await row.first().click();
  }

  /** Go to Line (Ctrl+G), 1-based as the status bar shows it. */
  async goTo(line: number, column: number): Promise<void> {
    // Into the editor first: with the focus in a panel (Output is an editor too) Ctrl+G would go there.
    await this.page.keyboard.press('Control+1');
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** The Problems panel (Ctrl+Shift+M), opened if it is not. */
  async problems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
    return panel;
  }

  /**
   * Rows of the Problems panel for files matching `file` that contain `text`, once there are `count`
   * of them. The panel's filter keeps the list short: it only renders the rows in view.
   */
  async problemsOf(file: string, text: string, count = 1, timeout = 30_000): Promise<void> {
    const panel = await this.problems();
    const filter = this.page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await filter.fill(file);
    // The file's own row first: a count of 0 means nothing before the panel has drawn its rows.
    await panel.locator('.monaco-list-row', { hasText: file }).first().waitFor({ timeout });
    const rows = panel.locator('.monaco-list-row', { hasText: text });
    try {
      await expect_(async () => (await rows.count()) === count, timeout, `${count} problem rows with "${text}" in ${file}`);
    } finally {
      await filter.fill('');
    }
  }

  /** A line of the editor holding `text`. */
  line(text: string): Locator {
    return this.page.locator('.editor-instance .view-lines .view-line', { hasText: text }).first();
  }

  /** The text of an editor line as typed: the editor draws spaces as no-break spaces. */
  async lineText(line: Locator): Promise<string> {
    return (await line.innerText()).replace(/\u00a0/g, ' ');
  }

  /** The hover widget's content once it shows `text`. */
  async hover(target: Locator, text: string): Promise<Locator> {
    await target.hover();
    const hover = this.page.locator('.monaco-hover:visible', { hasText: text }).first();
    await hover.waitFor();
    return hover;
  }

  /** Ctrl+. at the cursor, then the quick fix titled `title`, chosen with the arrow keys and Enter. */
  async quickFix(title: string): Promise<void> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    // Right after the cursor moves VS Code may still be collecting actions; ask again if the list lacks it.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      try {
        await rows.filter({ hasText: title }).first().waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
    const count = await rows.count();
    for (let i = 0; i <= count; i++) {
      if ((await rows.and(this.page.locator('.focused')).getAttribute('aria-label')) === title) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`the quick fix "${title}" could not be selected`);
  }

  /** A status bar item by the id its extension gave it (VS Code prefixes the extension's id). */
  statusItem(id: string): Locator {
    return this.page.locator(`.statusbar-item[id$="${id}"]`).first();
  }

  /**
   * The content frame of a webview (VS Code nests it: iframe.webview > iframe#active-frame) whose text
   * contains `text`, once one does; frames in `except` (a page since replaced) do not count.
   */
  async webview(text: string, options: { except?: readonly Frame[]; timeout?: number } = {}): Promise<Frame> {
    const timeout = options.timeout ?? 30_000;
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame.isDetached() || options.except?.includes(frame)) continue;
        if (frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
        const body = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (body.includes(text)) return frame;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no webview shows "${text}" within ${timeout} ms`);
  }
}

/** Polls `condition` until it holds, or throws saying what did not happen. */
async function expect_(condition: () => Promise<boolean>, timeout: number, what: string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
