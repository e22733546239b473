// Renders images/icon.svg to images/icon.png (128×128, transparent corners) with Chromium, because
// the Marketplace and VS Code want a PNG icon. Run: node images/render-icon.mjs
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const svg = readFileSync(fileURLToPath(new URL('icon.svg', import.meta.url)), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: fileURLToPath(new URL('icon.png', import.meta.url)), omitBackground: true });
} finally {
  await browser.close();
}
