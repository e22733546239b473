import { defineConfig } from 'vitest/config';
import { planViewAssetsVite } from './scripts/plan-view-assets.mjs';

export default defineConfig({
  // The plan page imports its bundled browser script and CSS as `pglens:plan-view-assets`.
  plugins: [planViewAssetsVite()],
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once before any test file runs (tests spawn the built server and CLI).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Protocol tests spawn the built server; keep the two cores for them rather than oversubscribing.
    maxWorkers: 2,
  },
});
