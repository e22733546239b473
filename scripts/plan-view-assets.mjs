// The plan page's browser half (server/src/plan/view/browser/main.ts and the CSS it imports), bundled
// and minified into strings the page generator imports as `pglens:plan-view-assets`. An esbuild plugin
// serves it to scripts/build.mjs, a Vite plugin to the tests (vitest runs the sources).
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLAN_VIEW_ASSETS = 'pglens:plan-view-assets';
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = 'server/src/plan/view/browser/main.ts';

/** `{ script, style, inputs }`: the minified IIFE, the CSS, and the files they came from. */
export async function bundlePlanViewAssets() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    // VS Code 1.91's webviews run Chromium 122.
    target: ['chrome122', 'firefox120', 'safari17'],
    minify: true,
    legalComments: 'none',
    outdir: 'plan-view',
    metafile: true,
    logLevel: 'silent',
  });
  const text = (ext) => result.outputFiles.find((file) => file.path.endsWith(ext))?.text ?? '';
  return { script: text('.js'), style: text('.css'), inputs: Object.keys(result.metafile.inputs) };
}

function moduleSource({ script, style }) {
  return `export const script = ${JSON.stringify(script)};\nexport const style = ${JSON.stringify(style)};\n`;
}

export function planViewAssetsEsbuild() {
  return {
    name: 'plan-view-assets',
    setup(builder) {
      builder.onResolve({ filter: /^pglens:plan-view-assets$/ }, (args) => ({ path: args.path, namespace: 'plan-view-assets' }));
      builder.onLoad({ filter: /.*/, namespace: 'plan-view-assets' }, async () => {
        const assets = await bundlePlanViewAssets();
        return { contents: moduleSource(assets), loader: 'js', watchFiles: assets.inputs.map((input) => join(root, input)) };
      });
    },
  };
}

export function planViewAssetsVite() {
  const resolved = `\0${PLAN_VIEW_ASSETS}`;
  return {
    name: 'plan-view-assets',
    resolveId: (id) => (id === PLAN_VIEW_ASSETS ? resolved : undefined),
    load: async (id) => (id === resolved ? moduleSource(await bundlePlanViewAssets()) : undefined),
  };
}
