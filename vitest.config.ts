import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // DuckDB's native binding and the SIGKILL tests want real processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { TZ: 'UTC' },
    // The CLI tests run bin/flowcase.mjs: build its bundle first so they test the shipped JavaScript.
    globalSetup: ['test/helpers/cli-bundle-setup.ts'],
  },
});
