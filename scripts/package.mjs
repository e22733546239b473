// Packages the extension as a .vsix (default pglens.vsix; `node scripts/package.mjs OUT.vsix`). It
// builds and packages in a staging folder, so packaging never races the development builds other
// commands write to dist/, and never leaves minified bundles there.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'pglens.vsix'));
const stage = mkdtempSync(join(tmpdir(), 'pglens-package-'));
try {
  // What .vscodeignore lets into the package, and the ignore file itself.
  for (const path of ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'images/icon.png', 'syntaxes', 'docs/rules', 'docs/editors.md']) {
    if (existsSync(join(root, path))) cpSync(join(root, path), join(stage, path), { recursive: true });
  }
  const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: 'inherit' });
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', `--outdir=${join(stage, 'dist')}`], root);
  // The bundles hold every dependency; the repository has no public URL yet, so links stay relative.
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], stage);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
