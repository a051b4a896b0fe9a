import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the real web server in-process, the built renderer (run `vite build`
 * first), Debian's Chromium driven by playwright-core.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    env: { TZ: 'UTC' },
    // A browser on a busy 2-core machine occasionally misses a frame; one retry keeps a
    // timing hiccup from failing CI while a real regression still fails twice.
    retry: 1,
  },
});
