// The vitest settings every package shares (each package's vitest.config.ts re-exports this).
// Timeouts are there to catch hangs, not to judge speed: every package's tests run at once on 2 cores,
// and tests that start worker threads from TypeScript source or train a small net can take seconds.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['../../scripts/vitest-setup.ts'],
  },
});
