// Bundles the language server, the CLI, the VS Code client and the benchmarks with esbuild, and puts
// the parser's .wasm next to the bundles (libpg-query loads it from the bundle's own folder).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { planViewAssetsEsbuild } from './plan-view-assets.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
// `--outdir=DIR` builds elsewhere than dist/ (scripts/package.mjs stages the .vsix that way).
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
mkdirSync(outdir, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const entries = [
  { in: 'server/src/lsp/main.ts', out: 'server' },
  { in: 'server/src/cli/main.ts', out: 'cli' },
  { in: 'client/src/extension.ts', out: 'client' },
  // The embedded database runs in a worker thread: PGlite's WASM would otherwise block the server.
  { in: 'server/src/db/sandbox/worker-main.ts', out: 'sandbox-worker' },
  // A production build (what the .vsix ships) leaves the benchmarks out.
  ...(existsSync('bench') && !production ? readdirSync('bench').filter((f) => f.endsWith('.bench.ts')) : []).map((f) => ({
    in: join('bench', f),
    out: f.replace(/\.ts$/, ''),
  })),
].filter((entry) => existsSync(entry.in));

const worker = (entry) => entry.out === 'sandbox-worker';
const options = {
  ...common,
  outdir,
  external: ['vscode'],
  // The plan page's browser script and CSS, bundled to strings (`pglens:plan-view-assets`).
  plugins: [planViewAssetsEsbuild()],
};
await Promise.all([
  // Everything but the worker runs the embedded database through the worker, so PGlite is left out.
  build({ ...options, entryPoints: entries.filter((entry) => !worker(entry)), define: { 'process.env.PGLENS_BUNDLED_WITH_WORKER': '"true"' } }),
  build({ ...options, entryPoints: entries.filter(worker) }),
]);

const wasm = join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm');
copyFileSync(wasm, join(outdir, 'libpg-query.wasm'));

// PGlite (the embedded database) also loads its .wasm files and file-system image from the bundle's
// folder; ship them only when a bundle holds PGlite, so a package never carries them unused.
const pgliteFiles = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];
const usesPglite = entries.some((entry) => readFileSync(join(outdir, `${entry.out}.js`), 'utf8').includes('pglite.data'));
const pgliteDir = dirname(require.resolve('@electric-sql/pglite'));
for (const file of pgliteFiles) {
  if (usesPglite) copyFileSync(join(pgliteDir, file), join(outdir, file));
  else rmSync(join(outdir, file), { force: true });
}
