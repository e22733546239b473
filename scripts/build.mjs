// Bundles the language server, the CLI, the VS Code client and the benchmarks with esbuild, and puts
// the parser's .wasm next to the bundles (libpg-query loads it from the bundle's own folder).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotli, PGLITE_FILES, slimImage } from './pglite-assets.mjs';
import { PACKED_BUNDLE_LOADER } from './packed-bundle.mjs';
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
// folder; ship them only when a bundle holds PGlite, so a package never carries them unused. The image
// leaves out what the sandbox never loads; a production build stores all three brotli-compressed
// (scripts/pglite-assets.mjs).
const usesPglite = entries.some((entry) => readFileSync(join(outdir, `${entry.out}.js`), 'utf8').includes('pglite.data'));
const pgliteDir = dirname(require.resolve('@electric-sql/pglite'));
const cacheDir = fileURLToPath(new URL('../node_modules/.cache/pglens/', import.meta.url));
for (const file of PGLITE_FILES) {
  for (const stale of [file, `${file}.br`]) rmSync(join(outdir, stale), { force: true });
  if (!usesPglite) continue;
  const content = file === 'pglite.data' ? slimImage(pgliteDir).image : readFileSync(join(pgliteDir, file));
  if (production) writeFileSync(join(outdir, `${file}.br`), brotli(content, cacheDir));
  else writeFileSync(join(outdir, file), content);
}

// The .vsix's largest bundles are stored brotli-compressed too, each behind a loader of a few lines
// that expands it and runs it as Node would have run the file itself (same module, same __dirname).
if (production) {
  for (const bundle of ['server.js', 'sandbox-worker.js']) {
    const path = join(outdir, bundle);
    if (!existsSync(path)) continue;
    writeFileSync(`${path}.br`, brotli(readFileSync(path), cacheDir));
    writeFileSync(path, PACKED_BUNDLE_LOADER);
  }
}
