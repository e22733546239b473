import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: pglens in a real VS Code (code-server) driven through Chromium. One file at a
 * time: each starts its own code-server, and the machine has two cores.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
