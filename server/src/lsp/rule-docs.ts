import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Links a rule code to its page, `docs/rules/<code>.md` in the installed package. The bundled server
 * runs from `dist/`, the sources from `server/src/lsp/`; both find the package root by walking up to
 * the folder holding package.json. Codes without a page get no link rather than a dead one.
 */
let root: string | undefined;
const hrefs = new Map<string, string | undefined>();

export function ruleDocsHref(code: string): string | undefined {
  if (hrefs.has(code)) return hrefs.get(code);
  const page = /^[a-z0-9-]+$/.test(code) ? join(packageRoot(), 'docs', 'rules', `${code}.md`) : undefined;
  const href = page && existsSync(page) ? pathToFileURL(page).href : undefined;
  hrefs.set(code, href);
  return href;
}

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  root = existsSync(join(dir, 'package.json')) ? dir : dirname(__dirname);
  return root;
}
