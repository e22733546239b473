/**
 * The browser half of the plan page (browser/main.ts and its CSS), bundled and minified at build time
 * by scripts/plan-view-assets.mjs — an esbuild plugin for the bundles, a Vite plugin for the tests.
 */
declare module 'pglens:plan-view-assets' {
  export const script: string;
  export const style: string;
}
