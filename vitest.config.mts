import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Protocol tests spawn the built server; keep the two cores for them rather than oversubscribing.
    maxWorkers: 2,
  },
});
